import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { JS_KERNEL_BACKENDS, type Memory } from '../memory';
import { type AdamConstants, adamStep } from './math';

export const ADAM_STEP = 'CardiganAdamStep';

export interface AdamStepAttrs extends AdamConstants {
  /** Number of weights: inputs are m, v, w0…w(n−1), g0…g(n−1). */
  count: number;
}

/** Outputs [m, v, w0, …, w(n−1)]. */
function step(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as AdamStepAttrs;
    const named = inputs as Record<string, TensorInfo>;
    const weights = Array.from({ length: a.count }, (_, k) => named[`w${k}`]);
    const grads = Array.from({ length: a.count }, (_, k) => named[`g${k}`]);
    const mem = memory(backend as KernelBackend);
    const outputs = [mem.make(named.m.shape).info, mem.make(named.v.shape).info, ...weights.map((w) => mem.make(w.shape).info)];
    // Views after every allocation (a wasm heap may grow and detach older views).
    const [mOut, vOut, ...weightsOut] = outputs.map((o) => mem.read(o));
    adamStep(
      a,
      mem.read(named.m),
      mem.read(named.v),
      grads.map((g) => mem.read(g)),
      weights.map((w) => mem.read(w)),
      mOut,
      vOut,
      weightsOut,
    );
    return outputs;
  };
}

export const ADAM_KERNELS: KernelConfig[] = Object.entries(JS_KERNEL_BACKENDS).map(([backendName, memory]) => ({
  kernelName: ADAM_STEP,
  backendName,
  kernelFunc: step(memory),
}));
