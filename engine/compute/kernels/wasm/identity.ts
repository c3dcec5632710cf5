import { getKernel, Identity, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * tfjs saves every tensor a gradient needs by cloning it, and a clone runs the Identity kernel. The
 * stock wasm Identity copies the data, so on wasm every activation of a training step existed twice
 * (plus a memcpy each). Tensors are immutable, so the clone can share the data and count a
 * reference, as tfjs-backend-cpu's Identity and wasm's own Reshape do. Strings keep the stock path.
 */
function identity(args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: Record<string, never> }): TensorInfo {
  const { x } = args.inputs;
  if (x.dtype === 'string') return (stock as KernelConfig).kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

let stock: KernelConfig | undefined;

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};

/** Remembers the stock kernel (for strings) before ours replaces it. */
export function captureStockIdentity(): void {
  const current = getKernel(Identity, 'wasm');
  if (current !== undefined && current !== identityConfig) stock = current;
}
