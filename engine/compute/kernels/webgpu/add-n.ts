import { AddN, getKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-webgpu 4.22 sums every AddN input in one shader, one storage buffer each, but asks
 * the device only for WebGPU's default of 8 storage buffers per stage: with 8 or more inputs (a
 * gradient that reaches one weight through many paths, as SPADE's do) the pipeline is invalid and
 * the sum is garbage. This AddN sums at most (limit − 1) inputs per shader and folds the partial
 * sums, reading the limit from the device the backend was given.
 */

/** The part of tfjs-backend-webgpu's backend this kernel needs. */
interface WebGpuBackendLike {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): boolean;
}

const DEFAULT_STORAGE_BUFFERS = 8;

export function chunkedAddNConfig(original: KernelConfig): KernelConfig {
  const sumAll = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const inputs = args.inputs as unknown as TensorInfo[];
    const backend = args.backend as unknown as WebGpuBackendLike;
    const perShader = Math.max(2, (backend.device?.limits?.maxStorageBuffersPerShaderStage ?? DEFAULT_STORAGE_BUFFERS) - 1);
    if (inputs.length <= perShader) return sumAll(args);
    let pending = inputs;
    const partials: TensorInfo[] = [];
    while (pending.length > perShader) {
      const next: TensorInfo[] = [];
      for (let start = 0; start < pending.length; start += perShader) {
        const chunk = pending.slice(start, start + perShader);
        if (chunk.length === 1) {
          next.push(chunk[0]);
          continue;
        }
        const sum = sumAll({ ...args, inputs: chunk as unknown as typeof args.inputs }) as TensorInfo;
        partials.push(sum);
        next.push(sum);
      }
      pending = next;
    }
    const result = sumAll({ ...args, inputs: pending as unknown as typeof args.inputs }) as TensorInfo;
    for (const partial of partials) backend.disposeData(partial.dataId);
    return result;
  };
  return { kernelName: AddN, backendName: 'webgpu', kernelFunc };
}

let installed: KernelConfig | undefined;

/** The chunked AddN for webgpu, once tfjs-backend-webgpu has registered its own. */
export function webgpuKernelConfigs(): KernelConfig[] {
  const current = getKernel(AddN, 'webgpu');
  if (current === undefined) return [];
  if (current !== installed) installed = chunkedAddNConfig(current);
  return [installed];
}
