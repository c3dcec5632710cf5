import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig, SegmentationModel } from '../nn/model';
import type { ImageStack } from '../segmentation/predict';
import { labelsAt, type Size } from './resample';

/** One image's segmentation on two grids. */
export interface Segmentation {
  index: number;
  /** Arg-max at the model's input size: what the model itself said (anatomical validity is judged here). */
  atModel: Uint8Array;
  /** Arg-max of the probabilities resized to the image's evaluation size (metrics are computed here). */
  atTarget: Uint8Array;
}

/**
 * Segments `images` with `model` in evaluation mode, batch by batch, and yields each image's labels
 * at the model's size and at `targets[i]` (see resample.ts for how probabilities change grid).
 */
export function* segmentImages(
  model: SegmentationModel<ModelConfig>,
  images: ImageStack,
  targets: readonly Size[],
  batchSize: number,
): Generator<Segmentation> {
  const [h, w] = images.size;
  for (let start = 0; start < images.count; start += batchSize) {
    const count = Math.min(batchSize, images.count - start);
    const batch = images.data.subarray(start * h * w, (start + count) * h * w);
    const probabilities = tf.tidy(() => tf.softmax(model.forward(tf.tensor4d(batch, [count, h, w, 1]), { training: false }) as tf.Tensor4D, 3));
    try {
      for (let k = 0; k < count; k++) {
        const one = tf.tidy(() => tf.squeeze(tf.slice(probabilities, [k, 0, 0, 0], [1, -1, -1, -1]), [0]) as tf.Tensor3D);
        try {
          const target = targets[start + k];
          const atModel = labelsAt(one, [h, w]);
          yield { index: start + k, atModel, atTarget: target[0] === h && target[1] === w ? atModel : labelsAt(one, target) };
        } finally {
          one.dispose();
        }
      }
    } finally {
      probabilities.dispose();
    }
  }
}
