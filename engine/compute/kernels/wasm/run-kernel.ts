import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Calls another registered wasm kernel directly, as tfjs backends compose kernels internally: no
 * tensor bookkeeping, no gradient tape. The caller disposes intermediate results with `release`.
 */
export function runWasmKernel(name: string, backend: KernelBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const config = getKernel(name, 'wasm');
  if (config === undefined) {
    throw new Error(`wasm kernel ${name} is not registered (needed by a cardigan training kernel)`);
  }
  const out = config.kernelFunc({ inputs, backend, attrs });
  if (Array.isArray(out)) {
    throw new Error(`wasm kernel ${name} returned ${out.length} tensors where one was expected`);
  }
  return out;
}

/** Frees intermediate results made by `runWasmKernel`; the kernel's inputs are never passed here. */
export function release(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
