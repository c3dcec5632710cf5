import { getKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { replaceKernels } from '../replace-kernels';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { captureStockConv2dBackpropInput, conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { captureStockIdentity, identityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';
import { maxPoolWithArgmaxConfig } from './max-pool-with-argmax';
import { captureStockSlicing, sliceConfig, splitVConfig } from './slice';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

/**
 * Kernels that training needs and tfjs-backend-wasm 4.22 lacks (Conv2DBackpropFilter,
 * UnsortedSegmentSum), runs slowly (Conv2DBackpropInput), wastes memory on (Identity, which every
 * tensor saved for a gradient goes through; Slice and SplitV, which copy their whole input per
 * output) or gets wrong for batches of more than one image (MaxPoolGrad, MaxPoolWithArgmax).
 */
const TRAINING_KERNELS: KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  identityConfig,
  maxPoolGradConfig,
  maxPoolWithArgmaxConfig,
  sliceConfig,
  splitVConfig,
  unsortedSegmentSumConfig,
];

/**
 * Registers cardigan's wasm training kernels, replacing the stock ones of the same name.
 * Idempotent; safe before or after the wasm backend is initialised (none needs a setup step of
 * its own, except that the stock Conv2DBackpropInput is kept, set up, for what ours does not cover).
 */
export function registerWasmTrainingKernels(): void {
  captureStockConv2dBackpropInput(getKernel(conv2dBackpropInputConfig.kernelName, 'wasm'));
  captureStockIdentity();
  captureStockSlicing();
  replaceKernels(TRAINING_KERNELS);
}
