import { replaceKernels } from '../replace-kernels';
import { ADAM_KERNELS } from './kernels';

export { type AdamHyper, adamUpdate, useComposedAdam } from './op';

/** Registers the one-kernel Adam step (wasm, cpu). Idempotent. */
export function registerAdamStep(): void {
  replaceKernels(ADAM_KERNELS);
}
