import { replaceKernels } from '../replace-kernels';
import { webgpuKernelConfigs } from './add-n';

/** Corrections to tfjs-backend-webgpu 4.22 kernels; nothing until that backend has registered. */
export function registerWebGpuKernelFixes(): void {
  replaceKernels(webgpuKernelConfigs());
}
