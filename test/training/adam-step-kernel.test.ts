import * as tf from '@tensorflow/tfjs-core';
import { adamUpdate, useComposedAdam } from '../../engine/compute/kernels/adam';
import { useBackend } from '../models/backend';

/** Weights of several shapes, flat moments, and five steps of gradients (some tiny, some zero), seeded. */
function run(composedOnly: boolean): Float32Array[] {
  useComposedAdam(composedOnly);
  try {
    return tf.tidy(() => {
      const weights = [[3, 4], [5], [2, 2, 3, 7], [1]].map((shape, k) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', k + 1)));
      const total = weights.reduce((sum, w) => sum + w.size, 0);
      const m = tf.variable(tf.zeros([total]), false);
      const v = tf.variable(tf.zeros([total]), false);
      for (let t = 1; t <= 5; t++) {
        const grads = weights.map((w, k) => tf.mul(tf.randomNormal(w.shape, 0, 1, 'float32', 100 * t + k), k === 1 ? 1e-6 : k === 3 ? 0 : 1));
        adamUpdate(weights, grads, m, v, { lr: t < 4 ? 0.01 : 0.003, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, t });
      }
      const out = [...weights, m, v].map((x) => Float32Array.from(x.dataSync()));
      tf.dispose([...weights, m, v]);
      return out;
    });
  } finally {
    useComposedAdam(false);
  }
}

describe.each(['cpu', 'wasm'] as const)('the one-kernel Adam step on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('gives the weights and moments of the composition of tfjs ops, bit for bit', () => {
    const before = tf.memory().numTensors;
    const fused = run(false);
    expect(tf.memory().numTensors).toBe(before);
    const composed = run(true);
    expect(fused.map((a) => a.length)).toEqual(composed.map((a) => a.length));
    fused.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(composed[i])));
    // The step moved the weights (the comparison is not between two untouched copies).
    expect(fused[0].some((value, i) => Math.abs(value - tf.tidy(() => tf.randomNormal([3, 4], 0, 1, 'float32', 1).dataSync()[i])) > 0.01)).toBe(true);
  });

  it('runs as one kernel where the composition runs a dozen plus two per weight', async () => {
    const count = async (composedOnly: boolean) => (await tf.profile(() => void run(composedOnly))).kernels.filter((k) => k.name === 'CardiganAdamStep').length;
    expect(await count(false)).toBe(5);
    expect(await count(true)).toBe(0);
  });
});
