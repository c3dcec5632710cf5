import { replaceKernels } from '../replace-kernels';
import { resizeNearestNeighborGradConfig } from './resize-nearest-neighbor-grad';

/** Corrections to tfjs-backend-cpu 4.22 kernels (the fallback backend and the tests' reference). */
export function registerCpuKernelFixes(): void {
  replaceKernels([resizeNearestNeighborGradConfig]);
}
