import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '../../nodes/nn/layers/batch-norm';
import { Conv2d } from '../../nodes/nn/layers/conv2d';
import { SpatialDropout } from '../../nodes/nn/layers/spatial-dropout';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from './backend';

/** A k×k kernel dilated by inserting rate − 1 zeros between taps: the definition of atrous convolution. */
function dilateKernel(kernel: tf.Tensor4D, rate: number): tf.Tensor4D {
  const [kh, kw, cin, cout] = kernel.shape;
  const size = (k: number) => (k - 1) * rate + 1;
  const values = kernel.arraySync();
  const out = tf.buffer([size(kh), size(kw), cin, cout]);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++) for (let a = 0; a < cin; a++) for (let b = 0; b < cout; b++) out.set(values[i][j][a][b], i * rate, j * rate, a, b);
  return out.toTensor() as tf.Tensor4D;
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe.each(['cpu', 'wasm'] as const)('layers (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each([
    [2, 12, 10],
    [4, 12, 10],
    [16, 8, 8], // rate beyond the image: only the centre tap sees data
    [3, 7, 9],
  ])('computes a rate-%i dilated convolution on %i×%i and its gradients like the zero-inserted kernel', (rate, h, w) => {
    const conv = new Conv2d({ inChannels: 3, outChannels: 5, kernelSize: 3, dilation: rate, useBias: false }, new Rng(1));
    const x = tf.randomNormal([2, h, w, 3], 0, 1, 'float32', 2);
    const weights = tf.randomNormal([2, h, w, 5], 0, 1, 'float32', 3);
    const reference = (input: tf.Tensor, kernel: tf.Tensor) => tf.conv2d(input as tf.Tensor4D, dilateKernel(kernel as tf.Tensor4D, rate), 1, 'same');
    expect(maxDiff(conv.forward(x, { training: false }), reference(x, conv.kernel))).toBeLessThan(1e-4);

    const loss = (y: tf.Tensor) => tf.sum(tf.mul(y, weights));
    const ours = tf.variableGrads(() => loss(conv.forward(x, { training: true })) as tf.Scalar, [conv.kernel]);
    const theirsDense = tf.grad((k: tf.Tensor) => loss(tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, 'same')))(
      dilateKernel(conv.kernel as tf.Tensor4D, rate),
    );
    const theirs = tf.tidy(() => tf.stridedSlice(theirsDense, [0, 0, 0, 0], theirsDense.shape, [rate, rate, 1, 1]));
    expect(maxDiff(ours.grads[conv.kernel.name], theirs)).toBeLessThan(1e-3);
    const dxOurs = tf.grad((input: tf.Tensor) => loss(conv.forward(input, { training: true })))(x);
    const dxTheirs = tf.grad((input: tf.Tensor) => loss(reference(input, conv.kernel)))(x);
    expect(maxDiff(dxOurs, dxTheirs)).toBeLessThan(1e-4);
    tf.dispose([x, weights, ours.value, ...Object.values(ours.grads), theirsDense, theirs, dxOurs, dxTheirs]);
    conv.dispose();
  });

  it('batch norm trains on batch statistics, tracks running ones, and evaluates with them', () => {
    const norm = new BatchNorm({ channels: 2, momentum: 0.5 });
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [2, 2, 1, 2]);
    const y = norm.forward(x, { training: true });
    // Channel 0 holds 1, 3, 5, 7: mean 4, biased variance 5, unbiased 20/3.
    const expected0 = [1, 3, 5, 7].map((v) => (v - 4) / Math.sqrt(5 + 1e-5));
    expect(
      Array.from(y.dataSync())
        .filter((_, i) => i % 2 === 0)
        .map((v, i) => v - expected0[i])
        .every((d) => Math.abs(d) < 1e-5),
    ).toBe(true);
    expect(Array.from(norm.runningMean.dataSync())).toEqual([2, 12.5]);
    expect(norm.runningVar.dataSync()[0]).toBeCloseTo(0.5 + 0.5 * (20 / 3), 5);
    const evaluated = norm.forward(x, { training: false });
    expect(evaluated.dataSync()[0]).toBeCloseTo((1 - 2) / Math.sqrt(0.5 + 0.5 * (20 / 3) + 1e-5), 5);
    tf.dispose([x, y, evaluated]);
    norm.dispose();
  });

  it('batch norm training gradients equal autodiff of the textbook formula', () => {
    const norm = new BatchNorm({ channels: 3 });
    const [gamma, beta] = [norm.gamma, norm.beta];
    if (gamma === undefined || beta === undefined) throw new Error('an affine batch norm has gamma and beta');
    gamma.assign(tf.tensor1d([0.5, -1.5, 2]));
    beta.assign(tf.tensor1d([0.1, 0.2, -0.3]));
    const x = tf.randomNormal([2, 4, 5, 3], 1, 2, 'float32', 4);
    const w = tf.randomNormal([2, 4, 5, 3], 0, 1, 'float32', 5);
    const reference = (input: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      const y = tf.add(tf.mul(tf.div(tf.sub(input, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
      return tf.sum(tf.mul(y, w));
    };
    const theirs = tf.grads(reference)([x, gamma, beta]);
    const ours = tf.variableGrads(() => tf.sum(tf.mul(norm.forward(x, { training: true }), w)) as tf.Scalar, [gamma, beta]);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(norm.forward(input, { training: true }), w)))(x);
    expect(maxDiff(dx, theirs[0])).toBeLessThan(1e-4);
    expect(maxDiff(ours.grads[gamma.name], theirs[1])).toBeLessThan(1e-4);
    expect(maxDiff(ours.grads[beta.name], theirs[2])).toBeLessThan(1e-4);
    expect(maxDiff(theirs[0], tf.zerosLike(x))).toBeGreaterThan(0.01);
    tf.dispose([x, w, dx, ours.value, ...theirs, ...Object.values(ours.grads)]);
    norm.dispose();
  });

  it('spatial dropout drops whole channels, rescales the rest, repeats with the seed and is the identity in evaluation', () => {
    const dropout = new SpatialDropout({ rate: 0.5 });
    const x = tf.ones([4, 3, 3, 8]);
    const a = dropout.forward(x, { training: true, rng: new Rng(9) });
    const b = dropout.forward(x, { training: true, rng: new Rng(9) });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const values = a.arraySync() as number[][][][];
    let dropped = 0;
    for (const sample of values)
      for (let c = 0; c < 8; c++) {
        const channel = sample.flatMap((row) => row.map((px) => px[c]));
        expect(new Set(channel).size).toBe(1);
        expect([0, 2]).toContain(channel[0]);
        if (channel[0] === 0) dropped++;
      }
    expect(dropped).toBeGreaterThan(4);
    expect(dropped).toBeLessThan(28);
    const evaluated = dropout.forward(x, { training: false });
    expect(Array.from(evaluated.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, a, b, evaluated]);
  });
});
