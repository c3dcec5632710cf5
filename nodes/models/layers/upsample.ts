import * as tf from '@tensorflow/tfjs-core';

/**
 * Nearest-neighbour 2× upsampling of an NHWC tensor, written as a broadcast multiply so that its
 * gradient is a plain sum. tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad returns wrong values
 * for every sample after the first of a batch, so `tf.image.resizeNearestNeighbor` cannot be trained
 * through on the cpu backend.
 */
export function upsampleNearest2x(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const spread = tf.mul(tf.reshape(x, [n * h, 1, w, 1, c]), tf.ones([1, 2, 1, 2, 1]));
    return tf.reshape(spread, [n, 2 * h, 2 * w, c]);
  });
}
