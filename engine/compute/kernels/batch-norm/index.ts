import * as tf from '@tensorflow/tfjs-core';
import { replaceKernels } from '../replace-kernels';
import { BATCH_NORM_KERNELS } from './kernels';
import { batchNormTrainingGradConfig } from './op';
import { RUNNING_STATS_KERNELS } from './running-stats';

export { batchNormTraining, type BatchNormTrainingOptions, type BatchNormTrainingResult } from './op';
export { updateRunningStatistics } from './running-stats';

/** Registers the fused training batch norm's kernels (wasm, cpu), its gradient and the running statistics' kernel. Idempotent. */
export function registerBatchNormTraining(): void {
  replaceKernels([...BATCH_NORM_KERNELS, ...RUNNING_STATS_KERNELS]);
  if (tf.getGradient(batchNormTrainingGradConfig.kernelName) !== batchNormTrainingGradConfig) tf.registerGradient(batchNormTrainingGradConfig);
}
