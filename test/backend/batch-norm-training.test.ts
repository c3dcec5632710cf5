import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining } from '../../engine/compute/kernels/batch-norm';
import { type Backend, onBackend, relativeError, seeded } from './compare-backends';

/** The composition it replaces: moments of this batch, then tf.batchNorm. */
function reference(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
}

function valueAndGrads(norm: (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor) {
  return () => {
    // An offset mean and a large scale, where a naive one-pass variance would lose digits.
    const x = tf.add(tf.mul(seeded([3, 5, 4, 6], 1), 3), 50);
    const gamma = tf.add(seeded([6], 2), 1) as tf.Tensor1D;
    const beta = seeded([6], 3) as tf.Tensor1D;
    const upstream = seeded([3, 5, 4, 6], 4);
    const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(norm(a, g as tf.Tensor1D, b as tf.Tensor1D), upstream));
    const { value, grads } = tf.valueAndGrads(f as (...args: tf.Tensor[]) => tf.Scalar)([x, gamma, beta]);
    return [norm(x, gamma, beta), value, ...grads];
  };
}

describe.each<Backend>(['cpu', 'wasm'])('fused training batch norm on %s', (backend) => {
  it('gives the values and gradients of moments + tf.batchNorm', async () => {
    const expected = await onBackend('cpu', valueAndGrads(reference));
    const actual = await onBackend(
      backend,
      valueAndGrads((x, g, b) => batchNormTraining(x, g, b).y),
    );
    expected.forEach((e, i) => expect(relativeError(e, actual[i])).toBeLessThan(1e-3));
  });

  it('with relu, gives the values and gradients of tf.relu then moments + tf.batchNorm', async () => {
    // Centre x near 0 so that ReLU cuts about half of it.
    const shifted = (norm: (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor) => (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) =>
      norm(tf.sub(x, 50), g, b);
    const expected = await onBackend('cpu', valueAndGrads(shifted((x, g, b) => reference(tf.relu(x), g, b))));
    const actual = await onBackend(backend, valueAndGrads(shifted((x, g, b) => batchNormTraining(x, g, b, { relu: true }).y)));
    expected.forEach((e, i) => expect(relativeError(e, actual[i])).toBeLessThan(1e-3));
    expect(Array.from(actual[2]).some((v) => v === 0)).toBe(true);
  });

  it('returns the batch mean and biased variance', async () => {
    const [mean, variance, refMean, refVariance] = await onBackend(backend, () => {
      const x = tf.add(seeded([2, 3, 3, 4], 5), 2);
      const result = batchNormTraining(x, tf.ones([4]) as tf.Tensor1D, tf.zeros([4]) as tf.Tensor1D);
      const ref = tf.moments(x, [0, 1, 2]);
      tf.dispose(result.y);
      return [result.mean, result.variance, ref.mean, ref.variance];
    });
    expect(relativeError(refMean, mean)).toBeLessThan(1e-5);
    expect(relativeError(refVariance, variance)).toBeLessThan(1e-4);
  });
});
