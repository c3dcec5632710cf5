import { type Dataset, type DatasetItem, writeDataset } from '../../nodes/data/dataset-artifact';
import { Rng } from '../../nodes/nn/training/rng';
import { testItem } from '../rig/dataset';

/**
 * Small stand-ins for CAMUS images, for tests that must prove learning: an elliptic LV cavity
 * (label 1, dark) inside a myocardium ring (label 2, bright), a left atrium below it (label 3, grey),
 * all placed and sized at random, on speckle-like noise.
 */
export function syntheticHearts(count: number, size: number, seed: number): Dataset & { images: Float32Array } {
  const rng = new Rng(`hearts/${seed}`);
  const pixels = size * size;
  const images = new Float32Array(count * pixels);
  const masks = new Uint8Array(count * pixels);
  const items: DatasetItem[] = [];
  for (let n = 0; n < count; n++) {
    const cx = size * rng.uniform(0.4, 0.6);
    const cy = size * rng.uniform(0.3, 0.36);
    const rx = size * rng.uniform(0.13, 0.16);
    const ry = size * rng.uniform(0.2, 0.24);
    const wall = size * rng.uniform(0.08, 0.1);
    const la = { x: cx + rng.uniform(-2, 2), y: cy + ry + wall + size * 0.13, rx: size * rng.uniform(0.17, 0.2), ry: size * rng.uniform(0.12, 0.14) };
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const inside = (ex: number, ey: number, ax: number, ay: number) => ((x - ex) / ax) ** 2 + ((y - ey) / ay) ** 2 <= 1;
        let label = 0;
        if (inside(la.x, la.y, la.rx, la.ry)) label = 3;
        if (inside(cx, cy, rx + wall, ry + wall)) label = 2;
        if (inside(cx, cy, rx, ry)) label = 1;
        const base = [0.35, 0.05, 0.8, 0.6][label];
        const p = n * pixels + y * size + x;
        masks[p] = label;
        images[p] = Math.min(1, Math.max(0, base + rng.uniform(-0.1, 0.1)));
      }
    items.push(testItem(`synthetic${n}`, { patient: `patient${n}`, nativeSize: [size, size], spacing: [0.3, 0.3], nativeSpacing: [0.3, 0.3], split: 'train' }));
  }
  return { manifest: { format: 'cardigan-dataset/1', size: [size, size], hasImages: true, items }, images, masks };
}

export async function writeSyntheticHearts(dir: string, count: number, size: number, seed: number): Promise<Dataset & { images: Float32Array }> {
  const dataset = syntheticHearts(count, size, seed);
  await writeDataset(dir, dataset);
  return dataset;
}
