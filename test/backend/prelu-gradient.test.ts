import * as tf from '@tensorflow/tfjs-core';
import { preluBackward } from '../../engine/compute/kernels/prelu/math';
import { onBackend, relativeError, seeded } from './compare-backends';

/** tfjs's own formulas for PReLU's gradient, spelled out: the reference the fused kernel must equal. */
function stockGradient(dy: tf.Tensor, x: tf.Tensor, alpha: tf.Tensor): tf.Tensor[] {
  const positive = tf.greater(x, 0);
  const dx = tf.where(positive, dy, tf.mul(dy, alpha));
  const axes = tf.backend_util.getReductionAxes(alpha.shape, dy.shape);
  const dAlpha = tf.reshape(tf.sum(tf.where(positive, tf.zerosLike(dy), tf.mul(dy, x)), axes), alpha.shape);
  return [dx, dAlpha];
}

function gradients(xShape: number[], alphaShape: number[]): () => tf.Tensor[] {
  return () => {
    // Some exact zeros, where x > 0 is false and the slope applies.
    const x = tf.mul(seeded(xShape, 1), tf.cast(tf.greater(seeded(xShape, 4), -0.8), 'float32'));
    const alpha = seeded(alphaShape, 2);
    const dy = seeded(xShape, 3);
    const { grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.prelu(a, b), dy)))([x, alpha]);
    return [...grads, ...stockGradient(dy, x, alpha)];
  };
}

describe('PReLU gradient', () => {
  it("is tfjs's formula, computed directly", () => {
    const x = Float32Array.from([1, -2, 0, 3, -1, -4]);
    const dy = Float32Array.from([0.5, 1, 2, -1, 3, 0.25]);
    const dx = new Float32Array(6);
    const dAlpha = new Float32Array(2);
    preluBackward(dy, x, Float32Array.from([0.1, 0.2]), dx, dAlpha);
    // x as [3, 2]: channel 0 holds 1, 0, -1; channel 1 holds -2, 3, -4.
    expect(Array.from(dx)).toEqual(Array.from(Float32Array.from([0.5, 0.2, 0.2, -1, 0.30000001192092896, 0.05000000074505806])));
    expect(Array.from(dAlpha)).toEqual([2 * 0 + 3 * -1, 1 * -2 + 0.25 * -4]);
  });

  it('agrees with the branch x > 0 for every kind of float: ±0, ±∞, NaN, denormals', () => {
    const x = Float32Array.from([0, -0, Infinity, -Infinity, Number.NaN, 1e-45, -1e-45, 3.4e38, -3.4e38, 2, -2, 0.5]);
    const dy = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const [dx, dAlpha] = [new Float32Array(12), new Float32Array(1)];
    preluBackward(dy, x, Float32Array.from([0.25]), dx, dAlpha);
    const positive = Array.from(x, (v) => v > 0);
    expect(Array.from(dx)).toEqual(Array.from(dy, (g, i) => (positive[i] ? g : Math.fround(0.25 * g))));
    // −∞ and NaN are not positive: their terms make the slope's gradient NaN, as tfjs's formula does.
    expect(dAlpha[0]).toBeNaN();
    const finite = new Float32Array(1);
    preluBackward(dy.subarray(0, 4), x.subarray(0, 4), Float32Array.from([0.25]), new Float32Array(4), finite);
    expect(finite[0]).toBe(-Infinity);
  });

  it.each([
    ['per channel, NHWC', [2, 6, 5, 7], [7]],
    ['one slope for all', [3, 4, 4, 2], [1]],
    ['2-D input', [9, 3], [3]],
  ])('on wasm and cpu equals the stock gradient and the stock cpu backend: %s', async (_, xShape, alphaShape) => {
    const reference = await onBackend('cpu', gradients(xShape, alphaShape));
    const [dxCpu, daCpu, dxStock, daStock] = reference;
    expect(relativeError(dxStock, dxCpu)).toBe(0);
    expect(relativeError(daStock, daCpu)).toBeLessThan(1e-6);
    const [dxWasm, daWasm] = await onBackend('wasm', gradients(xShape, alphaShape));
    expect(relativeError(dxStock, dxWasm)).toBe(0);
    expect(relativeError(daStock, daWasm)).toBeLessThan(1e-6);
    expect(Math.max(...Array.from(daStock, Math.abs))).toBeGreaterThan(0.1);
  });

  it('keeps the stock gradient for slopes it does not fuse (one per pixel)', async () => {
    const [dx, dAlpha, dxStock, daStock] = await onBackend('wasm', () => {
      const x = seeded([2, 3, 4], 1);
      const alpha = seeded([3, 4], 2);
      const dy = seeded([2, 3, 4], 3);
      const { grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.prelu(a, b), dy)))([x, alpha]);
      const positive = tf.greater(x, 0);
      return [...grads, tf.where(positive, dy, tf.mul(dy, alpha)), tf.sum(tf.where(positive, tf.zerosLike(dy), tf.mul(dy, x)), 0)];
    });
    expect(relativeError(dxStock, dx)).toBe(0);
    expect(relativeError(daStock, dAlpha)).toBeLessThan(1e-6);
  });
});
