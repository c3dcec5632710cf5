import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset-artifact';
import { gatherBatch, toUnitRange } from './batch';
import { reparameterize, type SpadeEncoder } from './encoder';
import type { SpadeGenerator } from './generator';

/** Where a VAE-head generator's style codes come from. */
export type StyleSource =
  /** z ~ N(0, 1); item k's code is drawn from seed + k. */
  | { kind: 'random'; seed: number }
  /**
   * The encoder's code of image `pick(k)` of `images` for the k-th item, sampled around μ as NVlabs
   * does at test time, with noise drawn from seed + k.
   */
  | { kind: 'images'; encoder: SpadeEncoder; images: Dataset; pick: (item: number) => number; seed: number };

export interface SampleOptions {
  batchSize: number;
  /** Required for a VAE-head generator. */
  styles?: StyleSource;
  /**
   * Awaited after each batch with the number of items done: report progress, and pass an abort
   * point (nodes/nn/training/abort-point.ts) so that Ctrl-C is seen between batches.
   */
  onBatch?: (done: number) => void | Promise<void>;
}

/**
 * Generated images (0..1, [N·H·W]) for the masks of `items` of `masks`, in evaluation mode (batch
 * norm with its running statistics, spectral norms as stored), batch by batch.
 */
export async function sampleImages(generator: SpadeGenerator, masks: Dataset, items: readonly number[], options: SampleOptions): Promise<Float32Array> {
  const [h, w] = masks.manifest.size;
  const out = new Float32Array(items.length * h * w);
  const evaluation = { training: false };
  for (let start = 0; start < items.length; start += options.batchSize) {
    const chunk = items.slice(start, start + options.batchSize);
    const image = tf.tidy(() => {
      const { segmap } = gatherBatch(masks, chunk);
      const z = generator.config.vae ? styleCodes(generator, chunk, start, options.styles) : undefined;
      return toUnitRange(generator.forward({ segmap, z }, evaluation));
    });
    out.set(image.dataSync(), start * h * w);
    image.dispose();
    await options.onBatch?.(start + chunk.length);
  }
  return out;
}

function styleCodes(generator: SpadeGenerator, chunk: readonly number[], start: number, styles: StyleSource | undefined): tf.Tensor2D {
  if (styles === undefined) throw new Error('sampleImages: a VAE-head generator needs a style source');
  // One seed per item, so an item's code does not depend on the batch size.
  const noise = tf.concat(chunk.map((_, k) => tf.randomNormal([1, generator.config.zDim], 0, 1, 'float32', styles.seed + start + k))) as tf.Tensor2D;
  if (styles.kind === 'random') return noise;
  const { image } = gatherBatch(
    styles.images,
    chunk.map((_, k) => styles.pick(start + k)),
  );
  if (image === undefined) throw new Error('sampleImages: the style dataset has no images');
  return reparameterize(styles.encoder.forward(image, { training: false }), noise);
}
