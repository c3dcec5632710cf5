import * as tf from '@tensorflow/tfjs-core';
import { replaceKernels } from '../replace-kernels';
import { BATCH_NORM_KERNELS } from './kernels';
import { batchNormTrainingGradConfig } from './op';

export { batchNormTraining, type BatchNormTrainingOptions, type BatchNormTrainingResult } from './op';

/** Registers the fused training batch norm's kernels (wasm, cpu) and its gradient. Idempotent. */
export function registerBatchNormTraining(): void {
  replaceKernels(BATCH_NORM_KERNELS);
  if (tf.getGradient(batchNormTrainingGradConfig.kernelName) !== batchNormTrainingGradConfig) tf.registerGradient(batchNormTrainingGradConfig);
}
