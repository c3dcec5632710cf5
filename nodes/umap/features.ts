import { itemPixels, type Dataset } from '../data/dataset-artifact';
import { LABEL_COUNT } from '../data/label-mask';
import { matrix, type Matrix } from './distances';
import { areaResampler } from './downsample';

/** What an item becomes before the embedding. */
export type FeatureKind = 'masks' | 'images';

/** Mask labels 0 background, 1 LV, 2 myocardium, 3 LA (DESIGN.md §4): one channel each. */
export const MASK_CLASSES = LABEL_COUNT;

/**
 * One row per chosen item: one-hot masks (one channel per label, each area-averaged to size×size, so
 * a value is the share of the cell covered by that label) or area-averaged images. With one-hot
 * channels, the squared distance between two masks at full size is twice the number of pixels where
 * they disagree, whatever the labels: every structure counts alike.
 */
export function featureMatrix(dataset: Dataset, indices: readonly number[], kind: FeatureKind, size: number): Matrix {
  const [h, w] = dataset.manifest.size;
  const resample = areaResampler(h, w, size);
  const channels = kind === 'masks' ? MASK_CLASSES : 1;
  const cols = channels * size * size;
  const data = new Float32Array(indices.length * cols);
  const indicator = new Uint8Array(h * w);
  indices.forEach((index, row) => {
    const { image, mask } = itemPixels(dataset, index);
    if (kind === 'images') {
      if (image === undefined) throw new Error('features: images requested from a mask-only dataset');
      resample(image, data, row * cols);
      return;
    }
    for (let label = 0; label < MASK_CLASSES; label++) {
      for (let p = 0; p < mask.length; p++) indicator[p] = mask[p] === label ? 1 : 0;
      resample(indicator, data, row * cols + label * size * size);
    }
  });
  return matrix(data, indices.length, cols);
}
