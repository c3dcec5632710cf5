import * as tf from '@tensorflow/tfjs-core';
import { Adam } from '../../nodes/training/optimizer';
import { useBackend } from '../models/backend';

describe.each(['cpu', 'wasm'] as const)('Adam state restored on %s', (backend) => {
  beforeAll(() => useBackend(backend));

  it('takes exactly the step the original optimiser takes, after many iterations', async () => {
    // Enough values that a last-bit difference in Adam's bias correction shows in some of them.
    const target = tf.randomNormal([512], 0, 1, 'float32', 1);
    const loss = (w: tf.Variable) => () => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar;
    const step = (optimizer: Adam, w: tf.Variable) => tf.dispose(optimizer.minimize(loss(w), true, [w]) ?? undefined);
    const original = new Adam({ lr: 0.01 });
    const w = tf.variable(tf.randomNormal([512], 0, 1, 'float32', 2));
    for (let i = 0; i < 57; i++) step(original, w);

    const state = await original.getWeights();
    const restored = new Adam({ lr: 0.01 });
    // Adam pairs moment slots with gradients by position, so the slots fit a copy of the variable.
    const copy = tf.variable(w.clone());
    await restored.setWeights(state);
    step(original, w);
    step(restored, copy);
    expect(Array.from(copy.dataSync())).toEqual(Array.from(w.dataSync()));
    tf.dispose([target, w, copy, state[0].tensor]);
    original.dispose();
    restored.dispose();
  });
});
