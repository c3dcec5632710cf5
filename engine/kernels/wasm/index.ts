import { getKernel, KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { captureStockConv2dBackpropInput, conv2dBackpropInputConfig } from './conv2d-backprop-input';

/** Kernels that training needs and tfjs-backend-wasm 4.22 lacks (or runs slowly). */
const TRAINING_KERNELS: KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig];

/**
 * Registers cardigan's wasm training kernels, replacing stock ones where ours are faster.
 * Idempotent; safe before or after the wasm backend is initialised (none of these kernels needs a
 * setup step of its own: they compose the stock kernels).
 */
export function registerWasmTrainingKernels(): void {
  captureStockConv2dBackpropInput(getKernel(conv2dBackpropInputConfig.kernelName, 'wasm'));
  for (const config of TRAINING_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current === config) continue;
    if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}
