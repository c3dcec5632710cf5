import { KernelBackend, KernelConfig, KernelFunc, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { batchNormBackward, batchNormForward } from './math';

export const BATCH_NORM_TRAINING = 'CardiganBatchNormTraining';
export const BATCH_NORM_TRAINING_GRAD = 'CardiganBatchNormTrainingGrad';

export interface BatchNormAttrs {
  epsilon: number;
  /** Normalise ReLU(x) instead of x. */
  relu: boolean;
}

/** How a backend hands out tensor memory to JavaScript: wasm heap views, or cpu's typed arrays. */
interface Memory {
  read(info: TensorInfo): Float32Array;
  /** A new float32 tensor, and a writable view of it. */
  make(shape: number[]): { info: TensorInfo; values: Float32Array };
}

interface CpuBackend extends KernelBackend {
  data: { get(dataId: object): { values: TypedArray } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function wasmMemory(backend: KernelBackend): Memory {
  const wasm = backend as BackendWasm;
  return {
    read: (info) => wasm.typedArrayFromHeap(info) as Float32Array,
    make: (shape) => {
      const info = wasm.makeOutput(shape, 'float32');
      return { info, values: wasm.typedArrayFromHeap(info) as Float32Array };
    },
  };
}

function cpuMemory(backend: KernelBackend): Memory {
  const cpu = backend as CpuBackend;
  return {
    read: (info) => cpu.data.get(info.dataId).values as Float32Array,
    make: (shape) => {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      return { info: cpu.makeTensorInfo(shape, 'float32', values), values };
    },
  };
}

/** Outputs [y, mean, invStd]. Output views are taken after all allocations (a wasm heap may grow). */
function forward(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const channels = x.shape[x.shape.length - 1];
    const m = memory(backend as KernelBackend);
    const y = m.make(x.shape).info;
    const mean = m.make([channels]).info;
    const invStd = m.make([channels]).info;
    const { epsilon, relu } = attrs as unknown as BatchNormAttrs;
    batchNormForward(m.read(x), m.read(gamma), m.read(beta), epsilon, m.read(y), m.read(mean), m.read(invStd), relu);
    return [y, mean, invStd];
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
