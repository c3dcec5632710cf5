import { replaceKernels } from '../replace-kernels';
import { MAX_UNPOOL_KERNELS } from './kernels';

export { type MaxPooled, maxPoolWithMask, maxUnpool, useComposedMaxUnpool } from './op';

/** Registers the max-pool-with-mask and max-unpool kernels (wasm, cpu). Idempotent. */
export function registerMaxUnpool(): void {
  replaceKernels(MAX_UNPOOL_KERNELS);
}
