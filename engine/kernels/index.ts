import { registerCpuKernelFixes } from './cpu';
import { registerGradients } from './gradients';
import { registerWasmTrainingKernels } from './wasm';

/**
 * Everything cardigan adds to tfjs before training: gradient functions (with dilated convolution),
 * wasm training kernels and cpu kernel corrections. Idempotent; loads tfjs, so call it only when
 * a backend starts.
 */
export function registerCardiganKernels(): void {
  registerGradients();
  registerWasmTrainingKernels();
  registerCpuKernelFixes();
}
