import * as tf from '@tensorflow/tfjs-core';
import { useComposedMaxUnpool } from '../../engine/compute/kernels/max-unpool';
import { maxPoolWithMask, maxUnpool } from '../../nodes/nn/layers/max-unpool';
import { upsampleNearest2x } from '../../nodes/nn/layers/upsample';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from './backend';

const shape: [number, number, number, number] = [2, 6, 8, 3];

/** Distinct values in a seeded order, so every window has one maximum. */
function distinctInput(): { x: tf.Tensor4D; values: Float32Array } {
  const values = Float32Array.from(new Rng(5).permutation(2 * 6 * 8 * 3), (v) => v / 10 - 10);
  return { x: tf.tensor4d(values, shape), values };
}

/** Direct definition: for each 2×2 window and channel, the flat index of its maximum. */
function argmaxPositions(x: ArrayLike<number>, [n, h, w, c]: number[]): number[] {
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let i = 0; i < h / 2; i++)
      for (let j = 0; j < w / 2; j++)
        for (let ch = 0; ch < c; ch++) {
          const window = [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ].map(([di, dj]) => ((b * h + 2 * i + di) * w + 2 * j + dj) * c + ch);
          out.push(window.reduce((best, at) => (x[at] > x[best] ? at : best)));
        }
  return out;
}

/** Plain numbers with -0 read as 0 (mask ⊙ a negative value gives -0). */
const plain = (values: ArrayLike<number>) => Array.from(values, (v) => v + 0);

function scatter(length: number, positions: number[], values: ArrayLike<number>): number[] {
  const out = new Array<number>(length).fill(0);
  positions.forEach((p, k) => (out[p] = values[k]));
  return out;
}

// cardigan's kernels (wasm, cpu) and the composition of tfjs ops that other backends (webgpu) run.
const PATHS = (['cpu', 'wasm'] as const).flatMap(
  (backend) =>
    [
      [backend, 'kernels'],
      [backend, 'composed'],
    ] as const,
);

describe.each(PATHS)('max pooling with a mask and max-unpooling (%s, %s)', (backend, path) => {
  beforeAll(async () => {
    await useBackend(backend);
    useComposedMaxUnpool(path === 'composed');
  });
  afterAll(() => useComposedMaxUnpool(false));

  it('pools to the window maxima and unpools each value to its argmax position', () => {
    const { x, values } = distinctInput();
    const positions = argmaxPositions(values, shape);
    const { pooled, mask } = maxPoolWithMask(x);
    expect(Array.from(pooled.dataSync())).toEqual(positions.map((p) => values[p]));
    const y = tf.randomNormal(pooled.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
    expect(plain(maxUnpool(y, mask).dataSync())).toEqual(plain(scatter(values.length, positions, y.dataSync())));
    tf.dispose([x, pooled, mask, y]);
  });

  it('gives pooling the gradient of max pooling and unpooling the gradient of gathering', () => {
    const { x, values } = distinctInput();
    const positions = argmaxPositions(values, shape);
    const weightsOut = tf.randomNormal([2, 3, 4, 3], 0, 1, 'float32', 11);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(maxPoolWithMask(input as tf.Tensor4D).pooled, weightsOut)))(x);
    expect(plain(dx.dataSync())).toEqual(plain(scatter(values.length, positions, weightsOut.dataSync())));

    const { pooled, mask } = maxPoolWithMask(x);
    const weightsIn = tf.randomNormal(shape, 0, 1, 'float32', 12);
    const dy = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxUnpool(v as tf.Tensor4D, mask), weightsIn)))(tf.zerosLike(pooled));
    const win = weightsIn.dataSync();
    expect(plain(dy.dataSync())).toEqual(positions.map((p) => win[p] + 0));
    tf.dispose([x, weightsOut, dx, pooled, mask, weightsIn, dy]);
  });

  it('marks exactly one maximum per window and channel when values tie', () => {
    const x = tf.tidy(() => tf.round(tf.randomUniform(shape, 0, 2, 'float32', 7))) as tf.Tensor4D;
    const values = x.dataSync();
    const { pooled, mask } = maxPoolWithMask(x);
    const marked = mask.dataSync();
    const maxima = pooled.dataSync();
    const windows = argmaxPositions(values, shape);
    windows.forEach((first, k) => {
      const [b, rest] = [Math.floor(first / (6 * 8 * 3)), first % (6 * 8 * 3)];
      const [row, col, ch] = [Math.floor(rest / 24), Math.floor(rest / 3) % 8, rest % 3];
      const cells = [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ].map(([di, dj]) => ((b * 6 + (row - (row % 2)) + di) * 8 + (col - (col % 2)) + dj) * 3 + ch);
      expect(cells.filter((at) => marked[at] === 1)).toHaveLength(1);
      expect(cells.filter((at) => marked[at] === 1).map((at) => values[at])).toEqual([maxima[k]]);
    });
    tf.dispose([x, pooled, mask]);
  });

  it('refuses odd sizes and mismatched masks with the shapes in the message', () => {
    const odd = tf.zeros([1, 5, 4, 1]) as tf.Tensor4D;
    expect(() => maxPoolWithMask(odd)).toThrow('height and width must be even to unpool exactly, got 5×4');
    const mask = tf.zeros([1, 4, 4, 2]) as tf.Tensor4D;
    expect(() => maxUnpool(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, mask)).toThrow('values [1, 2, 2, 3] do not fit mask [1, 4, 4, 2]');
    tf.dispose([odd, mask]);
  });

  it('upsamples by repetition, with the block sum as gradient for every sample of a batch', () => {
    const x = tf.randomNormal([2, 3, 4, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const up = upsampleNearest2x(x);
    const xv = x.dataSync();
    const expected = Array.from({ length: 2 * 6 * 8 * 3 }, (_, i) => {
      const [b, row, col, ch] = [Math.floor(i / 144), Math.floor(i / 24) % 6, Math.floor(i / 3) % 8, i % 3];
      return xv[((b * 3 + (row >> 1)) * 4 + (col >> 1)) * 3 + ch];
    });
    expect(Array.from(up.dataSync())).toEqual(expected);
    const w = tf.randomNormal(up.shape, 0, 1, 'float32', 2) as tf.Tensor4D;
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(upsampleNearest2x(v as tf.Tensor4D), w)))(x);
    const blockSums = tf.mul(tf.avgPool(w, 2, 2, 'valid'), 4);
    const worst = Math.max(...Array.from(g.dataSync(), (v, i) => Math.abs(v - blockSums.dataSync()[i])));
    expect(worst).toBeLessThan(1e-5);
    tf.dispose([x, up, w, g, blockSums]);
  });
});
