import * as tf from '@tensorflow/tfjs-core';
import { argmaxLabels } from './mask-batch';
import type { MaskVae } from './mask-vae';

/**
 * Draws `count` codes z ~ N(0, I) from one seeded stream (tfjs fills seeded random tensors in
 * JavaScript, so the codes are the same on every backend, and code i does not depend on the batch
 * size) and decodes them in evaluation mode. Returns arg-max labels uint8 [count, size, size].
 */
export async function samplePrior(
  model: MaskVae,
  count: number,
  seed: number,
  batchSize: number,
  onBatch?: (done: number) => void | Promise<void>,
): Promise<Uint8Array> {
  const { size, latent } = model.config;
  const pixels = size * size;
  const out = new Uint8Array(count * pixels);
  const codes = tf.randomNormal([count, latent], 0, 1, 'float32', seed) as tf.Tensor2D;
  try {
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const logits = tf.tidy(() => model.decode(tf.slice(codes, [start, 0], [n, latent]), { training: false }));
      out.set(argmaxLabels(logits), start * pixels);
      logits.dispose();
      // Awaited: the caller's abort point (nodes/nn/training/abort-point.ts) lets Ctrl-C in between batches.
      await onBatch?.(start + n);
    }
  } finally {
    codes.dispose();
  }
  return out;
}
