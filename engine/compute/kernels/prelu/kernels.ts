import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { JS_KERNEL_BACKENDS, type Memory } from '../memory';
import { preluBackward } from './math';

export const PRELU_GRAD = 'CardiganPreluGrad';

/** Outputs [dx, dα]. */
function backward(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend }) => {
    const { dy, x, alpha } = inputs as Record<'dy' | 'x' | 'alpha', TensorInfo>;
    const m = memory(backend as KernelBackend);
    const dx = m.make(x.shape).info;
    const dAlpha = m.make(alpha.shape).info;
    preluBackward(m.read(dy), m.read(x), m.read(alpha), m.read(dx), m.read(dAlpha));
    return [dx, dAlpha];
  };
}

export const PRELU_KERNELS: KernelConfig[] = Object.entries(JS_KERNEL_BACKENDS).map(([backendName, memory]) => ({
  kernelName: PRELU_GRAD,
  backendName,
  kernelFunc: backward(memory),
}));
