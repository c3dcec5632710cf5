import * as tf from '@tensorflow/tfjs-core';
import { type Backend, onBackend } from './compare-backends';

// A 2-image batch: the stock wasm pooling kernels and the stock cpu nearest-resize gradient
// are right for the first image and wrong for the second, so every expectation covers both.
const image = [1, 5, 2, 0, 3, 4, 7, 1, 9, 2, 6, 8, 0, 1, 3, 2];
const batch = () => tf.concat([tf.tensor4d(image, [1, 4, 4, 1]), tf.neg(tf.tensor4d(image, [1, 4, 4, 1]))], 0) as tf.Tensor4D;
const BACKENDS: Backend[] = ['cpu', 'wasm'];

describe.each(BACKENDS)('pooling and resizing kernels on %s, batch of 2', (backend) => {
  it("max-pool gradient goes to each window's maximum in every image", async () => {
    const [dx] = await onBackend(backend, () => {
      const weights = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]);
      return tf.grad((x) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), weights)))(batch());
    });
    const expected = new Float32Array(32);
    // Image 1 maxima: 5 (index 1), 7 (6), 9 (8), 8 (11); image 2 (negated): −1 (0), 0 (3), 0 (12), −2 (15).
    [
      [1, 1],
      [6, 2],
      [8, 3],
      [11, 4],
      [16, 5],
      [19, 6],
      [28, 7],
      [31, 8],
    ].forEach(([at, value]) => (expected[at] = value));
    expect(Array.from(dx)).toEqual(Array.from(expected));
  });

  it("max-pool with argmax returns every image's maxima and flat indices", async () => {
    const [values, withBatch, withoutBatch] = await onBackend(backend, () => {
      const a = tf.maxPoolWithArgmax(batch(), 2, 2, 'valid', true);
      const b = tf.maxPoolWithArgmax(batch(), 2, 2, 'valid', false);
      return [a.result, tf.cast(a.indexes, 'float32'), tf.cast(b.indexes, 'float32')];
    });
    expect(Array.from(values, (v) => v + 0)).toEqual([5, 7, 9, 8, -1, 0, 0, -2]); // + 0 turns −0 into 0
    expect(Array.from(withBatch)).toEqual([1, 6, 8, 11, 16, 19, 28, 31]);
    expect(Array.from(withoutBatch)).toEqual([1, 6, 8, 11, 0, 3, 12, 15]);
  });

  it('nearest-resize gradient sums each 2×2 block (upsizing) or picks the copied pixel (downsizing)', async () => {
    const [up, down] = await onBackend(backend, () => [
      tf.grad((x) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [4, 4]), tf.reshape(tf.range(0, 32), [2, 4, 4, 1]))))(
        tf.ones([2, 2, 2, 1]),
      ),
      tf.grad((x) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [2, 2]), tf.reshape(tf.range(0, 8), [2, 2, 2, 1]))))(tf.ones([2, 4, 4, 1])),
    ]);
    expect(Array.from(up)).toEqual([10, 18, 42, 50, 74, 82, 106, 114]);
    const expectedDown = new Float32Array(32);
    [
      [0, 0],
      [2, 1],
      [8, 2],
      [10, 3],
      [16, 4],
      [18, 5],
      [24, 6],
      [26, 7],
    ].forEach(([at, value]) => (expectedDown[at] = value));
    expect(Array.from(down)).toEqual(Array.from(expectedDown));
  });

  it("gather's gradient (UnsortedSegmentSum) adds repeated indices and drops none", async () => {
    const [dx] = await onBackend(backend, () =>
      tf.grad((x) => tf.sum(tf.mul(tf.gather(x, tf.tensor1d([2, 0, 2, 3], 'int32')), tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]))))(tf.zeros([5, 2])),
    );
    expect(Array.from(dx)).toEqual([3, 4, 0, 0, 6, 8, 7, 8, 0, 0]);
  });
});
