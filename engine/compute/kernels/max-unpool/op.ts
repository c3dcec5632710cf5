import * as tf from '@tensorflow/tfjs-core';
import { hasJsKernels } from '../memory';
import { MAX_POOL_MASK, MAX_UNPOOL, MAX_UNPOOL_GRAD } from './kernels';

/**
 * 2×2 max pooling that remembers where each maximum came from, and the max-unpooling that puts
 * values back there (SegNet, ENet). tfjs has `maxPoolWithArgmax` but registers no gradient for it
 * and has no unpooling.
 *
 * The indices are kept as a 0/1 mask of the pooled input's shape with exactly one 1 per 2×2 window
 * and channel. Then unpool(y) = mask ⊙ nearest-upsample(y), whose gradient with respect to y is the
 * window sum of mask ⊙ dy, which is max-unpooling's gradient. On wasm and cpu each of the three is
 * one JavaScript pass (math.ts), where the composition of tfjs ops took a dozen kernels and, on
 * wasm, broadcasting multiplies and comparisons over whole activations; other backends (webgpu)
 * run that composition.
 */
/** Tests and benchmarks compare the kernels with the composition other backends run. */
let composedOnly = false;
export function useComposedMaxUnpool(on: boolean): void {
  composedOnly = on;
}

function kernelsHere(): boolean {
  return !composedOnly && hasJsKernels(tf.getBackend());
}

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
  // the mask must be a constant, since the comparisons behind it have no gradient.
  let kept: tf.Tensor4D | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    const { pooled, mask } = kernelsHere() ? poolKernel(input) : poolComposed(input, h, w, c);
    kept = tf.keep(mask);
    save([mask]);
    return {
      value: pooled,
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
  if (!kernelsHere()) return tf.tidy(() => tf.mul(mask, repeat2x2(y)));
  // The mask reaches the kernels from this closure, not as an input: it gets no gradient.
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [values, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    save([mask]);
    return {
      value: tf.engine().runKernel(MAX_UNPOOL, { y: values, mask }) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(MAX_UNPOOL_GRAD, { dy, mask: saved[0] }) as tf.Tensor4D,
    };
  });
  return op(y) as tf.Tensor4D;
}

function poolKernel(x: tf.Tensor4D): MaxPooled {
  const [pooled, mask] = tf.engine().runKernel(MAX_POOL_MASK, { x }) as tf.Tensor4D[];
  return { pooled, mask };
}

function poolComposed(x: tf.Tensor4D, h: number, w: number, c: number): MaxPooled {
  const { result, indexes } = tf.maxPoolWithArgmax(x, 2, 2, 'valid', false);
  return { pooled: result as tf.Tensor4D, mask: maskFromArgmax(indexes as tf.Tensor4D, h, w, c) };
}

/**
 * argmax indices are flattened per sample as (row·W + col)·C + channel. The pixel index
 * row·W + col of each window's maximum, spread over its window, equals the pixel's own index only
 * at the maximum itself.
 */
function maskFromArgmax(indexes: tf.Tensor4D, h: number, w: number, c: number): tf.Tensor4D {
  const pixel = tf.cast(tf.floorDiv(indexes, tf.scalar(c, 'int32')), 'float32') as tf.Tensor4D;
  const spread = repeat2x2(pixel);
  const own = tf.reshape(tf.range(0, h * w, 1, 'float32'), [1, h, w, 1]);
  return tf.cast(tf.equal(spread, own), 'float32') as tf.Tensor4D;
}

/** Nearest 2× upsampling as a broadcast multiply (nodes/nn/layers/upsample.ts writes it the same way). */
function repeat2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => tf.reshape(tf.mul(tf.reshape(x, [n * h, 1, w, 1, c]), tf.ones([1, 2, 1, 2, 1])), [n, 2 * h, 2 * w, c]));
}
