import * as tf from '@tensorflow/tfjs-core';

/**
 * Taking a segmentation to another pixel grid (the image's native size). Class probabilities are
 * resized bilinearly, pixel centres aligned, and arg-maxed there: the boundary lands where the
 * interpolated probabilities cross, between the coarse pixels, instead of on the coarse grid's
 * staircase that resizing the labels with nearest neighbour would give (steps of native/stored
 * pixels, about 3 rows × 2.5 columns for CAMUS at 256²). A label map without probabilities (the
 * stored ground truth) goes through the same path as one-hot probabilities.
 *
 * Ties: one-hot maps enlarged by whole-number factors give exact ties at the corners of regions
 * (0.5 against 0.5), which the interpolation's rounding would break one way here and the other way
 * there (and differently on each backend). A bias of TIE_BREAK per label, far above float32
 * rounding and far below any real difference in probability, gives every such tie to the lower
 * label, everywhere and on every backend.
 */

export type Size = [rows: number, cols: number];

function sameSize(a: readonly number[], b: Size): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

const TIE_BREAK = 1e-5;

/** Arg-max labels of class probabilities [H, W, C] at `size` (bilinear, half-pixel centres; ties to the lower label). */
export function labelsAt(probabilities: tf.Tensor3D, size: Size): Uint8Array {
  const classes = probabilities.shape[2];
  const labels = tf.tidy(() => {
    const resized = sameSize(probabilities.shape, size) ? probabilities : tf.image.resizeBilinear(probabilities, size, false, true);
    const bias = tf.tensor1d(Array.from({ length: classes }, (_, k) => (classes - 1 - k) * TIE_BREAK));
    return tf.argMax(tf.add(resized, bias), 2);
  });
  const out = Uint8Array.from(labels.dataSync());
  labels.dispose();
  return out;
}

/** A label map [from] at `to`, resampled as one-hot probabilities would be; unchanged when the sizes agree. */
export function resampleLabels(labels: Uint8Array, from: Size, to: Size, classes: number): Uint8Array {
  if (labels.length !== from[0] * from[1]) throw new Error(`resampleLabels: ${from[0]}×${from[1]} needs ${from[0] * from[1]} labels, got ${labels.length}`);
  if (sameSize(from, to)) return labels;
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor2d(Int32Array.from(labels), from, 'int32'), classes), 'float32') as tf.Tensor3D);
  try {
    return labelsAt(oneHot, to);
  } finally {
    oneHot.dispose();
  }
}
