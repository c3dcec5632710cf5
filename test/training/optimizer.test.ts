import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../../nodes/nn/layers/module';
import { Adam } from '../../nodes/nn/training/optimizer';
import { useBackend } from '../models/backend';

beforeAll(() => useBackend('cpu'));

/** Two weights and a fixed sequence of gradients, seeded. */
function setup(): { weights: NamedWeight[]; grads: tf.Tensor[][] } {
  const weights = [
    { path: 'a', variable: tf.variable(tf.randomNormal([3, 4], 0, 1, 'float32', 1)), trainable: true },
    { path: 'b', variable: tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2)), trainable: true },
  ];
  const grads = [0, 1, 2, 3, 4].map((step) => [tf.randomNormal([3, 4], 0, 1, 'float32', 10 + step), tf.randomNormal([5], 0, 0.01, 'float32', 20 + step)]);
  return { weights, grads };
}

describe('Adam', () => {
  it('takes the same steps as tf.train.adam with the same hyper-parameters, across a learning-rate change', () => {
    const ours = setup();
    const theirs = setup();
    const adam = new Adam({ lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-8 }, ours.weights);
    const reference = tf.train.adam(0.01, 0.8, 0.99, 1e-8);
    ours.grads.forEach((g, step) => {
      if (step === 3) adam.setLearningRate(0.002);
      adam.apply(g);
    });
    theirs.grads.forEach((g, step) => {
      const optimizer = step < 3 ? reference : Object.assign(reference, { learningRate: 0.002 });
      optimizer.applyGradients(theirs.weights.map((w, i) => ({ name: w.variable.name, tensor: g[i] })));
    });
    ours.weights.forEach((w, i) => {
      const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(w.variable, theirs.weights[i].variable))).dataSync()[0]);
      expect(difference).toBeLessThan(1e-6);
    });
    // The weights did move: the comparison is not between two untouched copies.
    const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(ours.weights[0].variable, setup().weights[0].variable))).dataSync()[0]);
    expect(moved).toBeGreaterThan(0.01);
  });

  it('restores its state into a fresh optimiser that then continues identically', () => {
    const a = setup();
    const b = setup();
    const first = new Adam({ lr: 0.01 }, a.weights);
    a.grads.slice(0, 3).forEach((g) => first.apply(g));
    const state = first.state();
    b.weights.forEach((w, i) => w.variable.assign(a.weights[i].variable));
    const second = new Adam({ lr: 0.01 }, b.weights);
    second.restore(Object.fromEntries(state.map((s) => [s.name, s.tensor])), 'test');
    expect(second.iterations).toBe(3);
    first.apply(a.grads[3]);
    second.apply(b.grads[3]);
    a.weights.forEach((w, i) => expect(Array.from(b.weights[i].variable.dataSync())).toEqual(Array.from(w.variable.dataSync())));
    expect(() => second.restore({ iteration: state[0].tensor, m: tf.zeros([3]), v: tf.zeros([3]) }, 'ckpt.json')).toThrow(
      'ckpt.json: optimiser state holds 3 moments, the model has 17 trainable values',
    );
  });

  it('names a weight that received no gradient', () => {
    const { weights, grads } = setup();
    const adam = new Adam({ lr: 0.01 }, weights);
    expect(() => adam.apply([grads[0][0], undefined as unknown as tf.Tensor])).toThrow('Adam: weight "b" got no gradient (is it used in the loss?)');
  });
});
