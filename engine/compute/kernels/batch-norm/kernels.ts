import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { cpuMemory, type Memory, wasmMemory } from '../memory';
import { batchNormBackward, batchNormForward, varianceFromInvStd } from './math';

export const BATCH_NORM_TRAINING = 'CardiganBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'CardiganBatchNormTrainingGrad';

export interface BatchNormAttrs {
  epsilon: number;
  /** Normalise ReLU(x) instead of x. */
  relu: boolean;
}

/**
 * Outputs [y, mean, invStd, variance]. The variance is 1/invStd² − ε in float32 operations, the
 * values the three tfjs ops that used to compute it from invStd gave. Output views are taken after
 * all allocations (a wasm heap may grow).
 */
function forward(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const channels = x.shape[x.shape.length - 1];
    const m = memory(backend as KernelBackend);
    const y = m.make(x.shape).info;
    const mean = m.make([channels]).info;
    const invStd = m.make([channels]).info;
    const variance = m.make([channels]).info;
    const { epsilon, relu } = attrs as unknown as BatchNormAttrs;
    batchNormForward(m.read(x), m.read(gamma), m.read(beta), epsilon, m.read(y), m.read(mean), m.read(invStd), relu);
    varianceFromInvStd(m.read(invStd), epsilon, m.read(variance));
    return [y, mean, invStd, variance];
  };
}

/** Outputs [dx, dGamma, dBeta]. */
function backward(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { relu } = attrs as unknown as BatchNormAttrs;
    const { dy, x, gamma, mean, invStd } = inputs as Record<'dy' | 'x' | 'gamma' | 'mean' | 'invStd', TensorInfo>;
    const m = memory(backend as KernelBackend);
    const dx = m.make(x.shape).info;
    const dGamma = m.make(gamma.shape).info;
    const dBeta = m.make(gamma.shape).info;
    batchNormBackward(m.read(dy), m.read(x), m.read(gamma), m.read(mean), m.read(invStd), m.read(dx), m.read(dGamma), m.read(dBeta), relu);
    return [dx, dGamma, dBeta];
  };
}

export const BATCH_NORM_KERNELS: KernelConfig[] = [
  { kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: forward(wasmMemory) },
  { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: backward(wasmMemory) },
  { kernelName: BATCH_NORM_TRAINING, backendName: 'cpu', kernelFunc: forward(cpuMemory) },
  { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'cpu', kernelFunc: backward(cpuMemory) },
];
