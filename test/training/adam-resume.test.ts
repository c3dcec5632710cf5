import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../../nodes/nn/layers/module';
import { Adam, minimize } from '../../nodes/nn/training/optimizer';
import { useBackend } from '../models/backend';

describe.each(['cpu', 'wasm'] as const)('Adam state restored on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('takes exactly the step the original optimiser takes, after many iterations', () => {
    // Enough values that a last-bit difference in Adam's bias correction would show in some of them.
    const target = tf.randomNormal([512], 0, 1, 'float32', 1);
    const weight = (variable: tf.Variable): NamedWeight[] => [{ path: 'w', variable, trainable: true }];
    const loss = (w: tf.Variable) => () => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar;
    const w = tf.variable(tf.randomNormal([512], 0, 1, 'float32', 2));
    const original = new Adam({ lr: 0.01, beta1: 0 }, weight(w));
    for (let i = 0; i < 57; i++) tf.dispose(minimize(original, loss(w)));

    const copy = tf.variable(w.clone());
    const restored = new Adam({ lr: 0.01, beta1: 0 }, weight(copy));
    const state = original.state();
    restored.restore(Object.fromEntries(state.map(({ name, tensor }) => [name, tensor])), 'checkpoint');
    tf.dispose(minimize(original, loss(w)));
    tf.dispose(minimize(restored, loss(copy)));
    expect(restored.iterations).toBe(58);
    expect(Array.from(copy.dataSync())).toEqual(Array.from(w.dataSync()));
    tf.dispose([target, w, copy, ...state.map((s) => s.tensor)]);
    original.dispose();
    restored.dispose();
  });
});
