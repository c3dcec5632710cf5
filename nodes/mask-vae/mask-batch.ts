import * as tf from '@tensorflow/tfjs-core';

/** int32 labels [B, size, size] of the given items of a uint8 [N, size, size] stack. */
export function labelBatch(masks: Uint8Array, size: number, indices: readonly number[]): tf.Tensor3D {
  const pixels = size * size;
  const labels = new Int32Array(indices.length * pixels);
  indices.forEach((item, k) => labels.set(masks.subarray(item * pixels, (item + 1) * pixels), k * pixels));
  return tf.tensor3d(labels, [indices.length, size, size]);
}

/** The VAE's input: one-hot float [B, H, W, classes]. */
export function oneHotInput(labels: tf.Tensor3D, classes: number): tf.Tensor4D {
  return tf.tidy(() => tf.cast(tf.oneHot(labels, classes), 'float32') as tf.Tensor4D);
}

/** Arg-max labels of logits [B, H, W, classes] as uint8, read back from the backend. */
export function argmaxLabels(logits: tf.Tensor4D): Uint8Array {
  const labels = tf.tidy(() => tf.argMax(logits, 3));
  try {
    return Uint8Array.from(labels.dataSync());
  } finally {
    labels.dispose();
  }
}
