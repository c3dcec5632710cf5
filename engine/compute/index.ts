/**
 * The compute room's public surface for node implementations that compute with tfjs: the kernels the
 * engine adds or fixes on top of tfjs. Importing it loads tfjs; definitions must not.
 * (The room itself owns backend choice and start-up, the wasm/cpu/webgpu kernels and lean gradients;
 * it imports nothing from the experiment, cache or run rooms.)
 */
export { batchNormTraining, type BatchNormTrainingOptions, type BatchNormTrainingResult } from './kernels/batch-norm';
