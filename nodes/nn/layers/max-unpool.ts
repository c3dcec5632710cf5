import * as tf from '@tensorflow/tfjs-core';
import { upsampleNearest2x } from './upsample';

/**
 * 2×2 max pooling that remembers where each maximum came from, and the max-unpooling that puts
 * values back there (SegNet, ENet). tfjs has `maxPoolWithArgmax` but registers no gradient for it
 * and has no unpooling, so both are built here from ops that do have gradients.
 *
 * The indices are kept as a 0/1 mask of the pooled input's shape with exactly one 1 per 2×2 window
 * and channel (on ties, whichever maximum the backend's argmax kernel picks: cpu the first, wasm
 * the last). Then unpool(y) = mask ⊙ nearest-upsample(y), whose gradient with respect to y is the
 * pooling of mask ⊙ dy — exactly max-unpooling's gradient, with no scatter kernel needed.
 */
export interface MaxPooled {
  pooled: tf.Tensor4D;
  /** Same shape as the pooling's input; a constant (no gradient flows into it). */
  mask: tf.Tensor4D;
}

/** 2×2 stride-2 max pooling of an NHWC tensor with even height and width. */
export function maxPoolWithMask(x: tf.Tensor4D): MaxPooled {
  const [, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) {
    throw new Error(`maxPoolWithMask: height and width must be even to unpool exactly, got ${h}×${w}`);
  }
  // The pooling runs inside a custom-gradient op, where nothing is recorded on the gradient tape:
  // the mask must be a constant, since the argmax and comparison ops behind it have no gradient.
  let kept: tf.Tensor4D | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const { result, indexes } = tf.maxPoolWithArgmax(input, 2, 2, 'valid', false);
    const mask = maskFromArgmax(indexes as tf.Tensor4D, h, w, c);
    kept = tf.keep(mask);
    save([mask]);
    return {
      value: result as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => maxUnpool(dy as tf.Tensor4D, saved[0] as tf.Tensor4D),
    };
  });
  const pooled = op(x) as tf.Tensor4D;
  if (kept === undefined) throw new Error('maxPoolWithMask: the pooling op produced no mask');
  // Hand the mask to the caller's scope (tf.keep exempted it from every tidy).
  const mask = tf.clone(kept);
  kept.dispose();
  return { pooled, mask };
}

/** Inverse of `maxPoolWithMask`: each value goes to its window's argmax position, zeros elsewhere. */
export function maxUnpool(y: tf.Tensor4D, mask: tf.Tensor4D): tf.Tensor4D {
  const [, h, w, c] = mask.shape;
  if (y.shape[1] * 2 !== h || y.shape[2] * 2 !== w || y.shape[3] !== c) {
    throw new Error(`maxUnpool: values [${y.shape.join(', ')}] do not fit mask [${mask.shape.join(', ')}]`);
  }
  return tf.tidy(() => tf.mul(mask, upsampleNearest2x(y)));
}

/**
 * argmax indices are flattened per sample as (row·W + col)·C + channel. The pixel index
 * row·W + col of each window's maximum, spread over its window, equals the pixel's own index only
 * at the maximum itself.
 */
function maskFromArgmax(indexes: tf.Tensor4D, h: number, w: number, c: number): tf.Tensor4D {
  const pixel = tf.cast(tf.floorDiv(indexes, tf.scalar(c, 'int32')), 'float32') as tf.Tensor4D;
  const spread = upsampleNearest2x(pixel);
  const own = tf.reshape(tf.range(0, h * w, 1, 'float32'), [1, h, w, 1]);
  return tf.cast(tf.equal(spread, own), 'float32') as tf.Tensor4D;
}
