import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../nn/training/rng';

/**
 * Training-time augmentation for echocardiogram segmentation, off by default as in the paper:
 * per image a random rotation of ±10° and scaling of 0.9–1.1 about the centre, a shift of up to
 * ±10 % of the size, and a gamma of 0.8–1.25 on the intensities. Masks follow the geometry with
 * nearest-neighbour sampling; both are zero outside the source image.
 */
const MAX_ROTATION = (10 * Math.PI) / 180;
const SCALE = [0.9, 1.1] as const;
const MAX_SHIFT = 0.1;
const GAMMA = [0.8, 1.25] as const;

/**
 * @param images [N, H, W, 1] in 0..1
 * @param labels int32 [N, H, W]
 */
export function augmentBatch(images: tf.Tensor4D, labels: tf.Tensor3D, rng: Rng): { images: tf.Tensor4D; labels: tf.Tensor3D } {
  const [n, h, w] = images.shape;
  const transforms: number[] = [];
  const gammas: number[] = [];
  for (let i = 0; i < n; i++) {
    transforms.push(...inverseAffine(w, h, rng));
    gammas.push(Math.exp(rng.uniform(Math.log(GAMMA[0]), Math.log(GAMMA[1]))));
  }
  return tf.tidy(() => {
    const matrix = tf.tensor2d(transforms, [n, 8]);
    const moved = tf.image.transform(images, matrix, 'bilinear', 'constant', 0);
    const gamma = tf.tensor4d(gammas, [n, 1, 1, 1]);
    const adjusted = tf.pow(tf.clipByValue(moved, 0, 1), gamma) as tf.Tensor4D;
    const labelImages = tf.expandDims(tf.cast(labels, 'float32'), 3) as tf.Tensor4D;
    const movedLabels = tf.image.transform(labelImages, matrix, 'nearest', 'constant', 0);
    return { images: adjusted, labels: tf.cast(tf.squeeze(movedLabels, [3]), 'int32') as tf.Tensor3D };
  });
}

/**
 * tf.image.transform's 8 numbers mapping each output pixel (x = column, y = row) to the input pixel
 * it samples: input = A·(output − centre − shift) + centre, with A the inverse rotation and scaling.
 */
function inverseAffine(w: number, h: number, rng: Rng): number[] {
  const angle = rng.uniform(-MAX_ROTATION, MAX_ROTATION);
  const scale = rng.uniform(SCALE[0], SCALE[1]);
  const tx = rng.uniform(-MAX_SHIFT, MAX_SHIFT) * w;
  const ty = rng.uniform(-MAX_SHIFT, MAX_SHIFT) * h;
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
  const [cos, sin] = [Math.cos(angle) / scale, Math.sin(angle) / scale];
  const [a0, a1, b0, b1] = [cos, sin, -sin, cos];
  return [a0, a1, cx - a0 * (cx + tx) - a1 * (cy + ty), b0, b1, cy - b0 * (cx + tx) - b1 * (cy + ty), 0, 0];
}
