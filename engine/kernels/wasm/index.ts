import { getKernel, KernelConfig, registerKernel } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';

/** Kernels that training needs and tfjs-backend-wasm 4.22 lacks (or runs slowly). */
const TRAINING_KERNELS: KernelConfig[] = [conv2dBackpropFilterConfig];

/**
 * Registers cardigan's wasm training kernels. Idempotent; safe before or after the wasm backend is
 * initialised (none of these kernels needs a setup step of its own).
 */
export function registerWasmTrainingKernels(): void {
  for (const config of TRAINING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') === undefined) registerKernel(config);
  }
}
