import { MAX_LABEL } from './label-mask';
import type { ImageArray } from './image';

/** Summary numbers of an image, as `cardigan image info` reports them. */
export interface ImageStats {
  min: number;
  max: number;
  mean: number;
  /** Pixel count per label when the image is a label map (integer type, all values within 0..3), else undefined. */
  labels?: Record<string, number>;
}

export function imageStats(image: ImageArray): ImageStats {
  const data = image.data;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  // Only integer images can be label maps; a float image of 0s and 1s is an intensity image.
  let labelMap = !image.dtype.startsWith('float');
  const counts = [0, 0, 0, 0];
  for (let k = 0; k < data.length; k++) {
    const v = data[k];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (labelMap) {
      if (v >= 0 && v <= MAX_LABEL) counts[v]++;
      else labelMap = false;
    }
  }
  const labels = labelMap && data.length > 0 ? Object.fromEntries(counts.map((n, label) => [String(label), n]).filter(([, n]) => n !== 0)) : undefined;
  return { min, max, mean: data.length === 0 ? 0 : sum / data.length, labels };
}
