// Room compute/: tfjs at run time — backend choice and start-up, the wasm/cpu/webgpu kernels the
// engine adds or fixes, the float64 batch norm, lean gradients.
// Imports only the engine's top files; never experiment/, keys/, cache/, run/, cli/.

/** The public surface for node implementations that compute with tfjs. Importing it loads tfjs; definitions must not. */
export { type AdamHyper, adamUpdate } from './kernels/adam';
export { batchNormTraining, type BatchNormTrainingOptions, type BatchNormTrainingResult, updateRunningStatistics } from './kernels/batch-norm';
export { type MaxPooled, maxPoolWithMask, maxUnpool } from './kernels/max-unpool';
export {
  kernelTable,
  type KernelRow,
  type KernelTable,
  meterTransfers,
  profileStep,
  type StepProfile,
  type TransferCount,
  type TransferCounts,
} from './profile';
