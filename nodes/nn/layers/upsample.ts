import * as tf from '@tensorflow/tfjs-core';

/**
 * Nearest-neighbour 2× upsampling of an NHWC tensor, written as a broadcast multiply so that its
 * gradient is a plain sum. A U-Net training step at 128×128 on wasm ran ~15 % faster this way than
 * through tf.image.resizeNearestNeighbor and its gradient kernel (which tfjs-backend-cpu 4.22 also
 * gets wrong for batches; engine/compute/kernels/cpu patches it).
 */
export function upsampleNearest2x(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const spread = tf.mul(tf.reshape(x, [n * h, 1, w, 1, c]), tf.ones([1, 2, 1, 2, 1]));
    return tf.reshape(spread, [n, 2 * h, 2 * w, c]);
  });
}
