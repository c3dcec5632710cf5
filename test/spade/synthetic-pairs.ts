import { type Dataset, writeDataset } from '../../nodes/data/dataset-artifact';
import { syntheticHearts } from '../models/synthetic-hearts';

/**
 * Mask → image pairs a generator can learn exactly: the masks of the synthetic hearts, each class
 * painted at its own grey level with its own deterministic texture (none on the background,
 * vertical stripes in the LV, a checkerboard in the myocardium, horizontal stripes in the LA).
 */
export const GREY_LEVELS = [0.1, 0.35, 0.85, 0.6];
const AMPLITUDE = 0.08;

function texture(label: number, x: number, y: number): number {
  switch (label) {
    case 1:
      return x % 4 < 2 ? 1 : -1;
    case 2:
      return ((x >> 1) + (y >> 1)) % 2 === 0 ? 1 : -1;
    case 3:
      return y % 4 < 2 ? 1 : -1;
    default:
      return 0;
  }
}

export function syntheticPairs(count: number, size: number, seed: number): Dataset & { images: Float32Array } {
  const hearts = syntheticHearts(count, size, seed);
  const images = new Float32Array(hearts.masks.length);
  hearts.masks.forEach((label, p) => {
    const x = p % size;
    const y = Math.floor(p / size) % size;
    images[p] = GREY_LEVELS[label] + AMPLITUDE * texture(label, x, y);
  });
  return { ...hearts, images };
}

export async function writeSyntheticPairs(dir: string, count: number, size: number, seed: number): Promise<Dataset & { images: Float32Array }> {
  const dataset = syntheticPairs(count, size, seed);
  await writeDataset(dir, dataset);
  return dataset;
}
