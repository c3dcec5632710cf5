import type * as TF from '@tensorflow/tfjs-core';
import { fail, firstErrorLine, ok, type Result } from '../../errors';
import { registerCardiganKernels } from '../kernels';
import { type DawnBinding, GPU_DEVICE_NODES, type GpuAdapterInfoLike, type GpuAdapterLike, gpuDeviceVisible, type GpuLike, loadDawn } from './dawn';
import { fixIntegerTranspose } from './integer-transpose';
import { enableSynchronousReads, isWebGpuBackend } from './sync-read';

/**
 * Starts tfjs-backend-webgpu on Dawn's Node binding: finds a GPU adapter, shows it to tfjs as
 * `navigator.gpu`, selects the `webgpu` backend and makes synchronous reads work (sync-read.ts).
 * On Linux Dawn drives the GPU through Vulkan, so the GPU's Vulkan driver must be installed
 * (README.md, "Compute backends", says what a CUDA machine needs).
 */
export interface WebGpuStartOptions {
  /** Accept a software adapter such as SwiftShader (an explicit `--backend webgpu` does; `auto` does not). */
  allowSoftware: boolean;
  /** Skip Dawn when no GPU device node exists (`auto`'s fast path on machines without a GPU). */
  requireDeviceNode: boolean;
  dawn?: () => DawnBinding;
  deviceVisible?: () => boolean;
}

export interface StartedWebGpu {
  name: 'webgpu';
  detail: string;
}

/** Usually a GPU without its Vulkan driver (as on a compute-only NVIDIA install). */
export const NO_ADAPTER = "Dawn found no GPU adapter (is the GPU's Vulkan driver installed?)";

let started: StartedWebGpu | undefined;
/**
 * Dawn instances made here, kept for the life of the process: the binding destroys an instance
 * when its JS object is collected, and its devices then crash in the driver's threads.
 */
const instances: GpuLike[] = [];

export async function startWebGpu(options: WebGpuStartOptions): Promise<Result<StartedWebGpu, string>> {
  const tf = require('@tensorflow/tfjs-core') as typeof TF;
  if (started !== undefined && tf.findBackend('webgpu') !== null) {
    // tfjs keeps one webgpu backend per process: switch back to it.
    return (await tf.setBackend('webgpu')) ? ok(started) : fail('the webgpu backend started earlier no longer initialises');
  }
  if (options.requireDeviceNode && !(options.deviceVisible ?? gpuDeviceVisible)()) return fail(`no GPU device (${GPU_DEVICE_NODES})`);

  let dawn: DawnBinding;
  try {
    dawn = (options.dawn ?? loadDawn)();
  } catch (error) {
    return fail(`Dawn's Node binding (the webgpu package) did not load (${firstErrorLine(error)})`);
  }
  const gpu = dawn.create([]);
  instances.push(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) return fail(NO_ADAPTER);
  const name = describeAdapter(adapter.info);
  if (adapter.info.isFallbackAdapter === true && !options.allowSoftware) {
    return fail(`Dawn's only adapter is a software renderer (${name}), slower than wasm; ask for it with --backend webgpu`);
  }

  showToTfjs(dawn.globals, adapter);
  try {
    require('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    return fail(`@tensorflow/tfjs-backend-webgpu did not load (${firstErrorLine(error)})`);
  }
  registerCardiganKernels();
  if (tf.engine().registryFactory.webgpu === undefined) {
    return fail('@tensorflow/tfjs-backend-webgpu was loaded before navigator.gpu existed, so it did not register');
  }
  if (!(await tf.setBackend('webgpu'))) return fail(`tfjs-backend-webgpu did not initialise on ${name} (see the warning above)`);
  const backend = tf.backend();
  if (!isWebGpuBackend(backend)) return fail('the webgpu backend is not the tfjs-backend-webgpu 4.22 cardigan was written for');

  fixIntegerTranspose(backend as unknown as Parameters<typeof fixIntegerTranspose>[0]);
  const syncReads = await enableSynchronousReads(tf, backend, dawn.create);
  started = {
    name: 'webgpu',
    detail: `WebGPU on Dawn: ${name}${adapter.info.isFallbackAdapter === true ? ' (software)' : ''}${syncReads.ok ? '' : `; no synchronous reads (${syncReads.error})`}`,
  };
  return ok(started);
}

/**
 * Globals tfjs-backend-webgpu expects of a browser: the WebGPU flag namespaces (GPUBufferUsage...)
 * and `navigator.gpu`, whose adapter is the one found above. tfjs 4.22 asks for the
 * 'bgra8unorm-storage' feature wrapped in an array, which Dawn rejects; no tensor op needs it,
 * so the adapter is shown without it.
 */
function showToTfjs(globals: Record<string, unknown>, adapter: GpuAdapterLike): void {
  for (const [key, value] of Object.entries(globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const features = new Set([...adapter.features].filter((feature) => feature !== 'bgra8unorm-storage'));
  const shown = new Proxy(adapter, {
    get(target, key) {
      if (key === 'features') return features;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const gpu = { requestAdapter: async () => shown, getPreferredCanvasFormat: () => 'rgba8unorm' };
  const holder = globalThis as { navigator?: object };
  if (holder.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: `Node.js ${process.version}` }, configurable: true, writable: true });
  } else {
    Object.defineProperty(holder.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
}

function describeAdapter(info: GpuAdapterInfoLike): string {
  return info.description || [info.vendor, info.architecture, info.device].filter((part) => part !== '').join(' ') || 'unnamed adapter';
}
