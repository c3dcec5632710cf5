import * as tf from '@tensorflow/tfjs-core';
import { loadModel, storedModelClass } from '../nn/model-file';
import { SEGMENTATION_MODELS } from './catalog';
import type { ModelConfig, SegmentationModel } from '../nn/model';

/** N grey images of one size, row-major, as a dataset artifact stores them (float32 in 0..1). */
export interface ImageStack {
  data: Float32Array;
  count: number;
  /** [H, W]. */
  size: [number, number];
}

/**
 * Segments images with the model saved in `modelDir` (a train-unet / train-enet output): label maps
 * uint8 [N, H, W] (0 background, 1 LV, 2 myocardium, 3 LA). The images must already be at a size
 * the model accepts (a multiple of its poolings); the caller resamples.
 */
export async function predict(modelDir: string, images: ImageStack, batchSize = 8): Promise<Uint8Array> {
  const stored = await storedModelClass(modelDir);
  if (!(stored in SEGMENTATION_MODELS)) throw new Error(`${modelDir}: ${stored} is not a segmentation model`);
  const { model } = await loadModel(modelDir, SEGMENTATION_MODELS);
  try {
    return predictLabels(model, images, batchSize);
  } finally {
    model.dispose();
  }
}

/** Arg-max labels of `model` in evaluation mode, batch by batch. */
export function predictLabels(model: SegmentationModel<ModelConfig>, images: ImageStack, batchSize = 8): Uint8Array {
  const [h, w] = images.size;
  if (images.data.length !== images.count * h * w) {
    throw new Error(`predict: ${images.count} images of ${h}×${w} need ${images.count * h * w} values, got ${images.data.length}`);
  }
  const m = model.sizeMultiple;
  if (h % m !== 0 || w % m !== 0) {
    throw new Error(`predict: ${model.className} needs height and width divisible by ${m}, got ${h}×${w}; resample the images first`);
  }
  const labels = new Uint8Array(images.count * h * w);
  for (let start = 0; start < images.count; start += batchSize) {
    const count = Math.min(batchSize, images.count - start);
    const batch = images.data.subarray(start * h * w, (start + count) * h * w);
    const predicted = tf.tidy(() => tf.argMax(model.forward(tf.tensor4d(batch, [count, h, w, 1]), { training: false }), 3));
    labels.set(predicted.dataSync(), start * h * w);
    predicted.dispose();
  }
  return labels;
}
