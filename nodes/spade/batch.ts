import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset-artifact';

/** Background, LV cavity, myocardium, left atrium. */
export const CLASSES = 4;

export interface SpadeBatch {
  /** One-hot masks [B, H, W, 4]. */
  segmap: tf.Tensor4D;
  /** Images [B, H, W, 1] in [-1, 1] (the generator's tanh range); absent for mask-only datasets. */
  image?: tf.Tensor4D;
}

/**
 * The items at `indices` as SPADE takes them: masks one-hot, images scaled from 0..1 to [-1, 1],
 * each item mirrored left–right where `flips[k]` is true (mask and image together).
 */
export function gatherBatch(dataset: Dataset, indices: readonly number[], flips?: readonly boolean[]): SpadeBatch {
  const [h, w] = dataset.manifest.size;
  const pixels = h * w;
  const labels = new Int32Array(indices.length * pixels);
  const images = dataset.images === undefined ? undefined : new Float32Array(indices.length * pixels);
  indices.forEach((item, k) => {
    const flip = flips?.[k] ?? false;
    for (let r = 0; r < h; r++) {
      const from = item * pixels + r * w;
      const to = k * pixels + r * w;
      for (let c = 0; c < w; c++) {
        const source = from + (flip ? w - 1 - c : c);
        labels[to + c] = dataset.masks[source];
        if (images !== undefined) images[to + c] = 2 * (dataset.images as Float32Array)[source] - 1;
      }
    }
  });
  return tf.tidy(() => ({
    segmap: tf.cast(tf.oneHot(tf.tensor3d(labels, [indices.length, h, w], 'int32'), CLASSES), 'float32') as tf.Tensor4D,
    image: images === undefined ? undefined : tf.tensor4d(images, [indices.length, h, w, 1]),
  }));
}

/** Generator output in [-1, 1] back to the dataset's 0..1 intensities. */
export function toUnitRange(image: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.div(tf.add(image, 1), 2), 0, 1) as tf.Tensor4D);
}
