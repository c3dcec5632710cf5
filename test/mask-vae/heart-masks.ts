import { type Dataset, type DatasetItem, writeDataset } from '../../nodes/data/dataset-artifact';
import { chain, rotation, translation, warpAffine } from '../../nodes/masks/warp';
import { Rng } from '../../nodes/nn/training/rng';
import { drawHeart } from '../rig/heart-mask';

/**
 * Varied apical-view masks for the VAE tests, until the synthetic CAMUS generator lands on this
 * branch: the test rig's heart (apex up) with seeded changes of size, LV and LA shape, wall
 * thickness and position, then tilted about the image centre (up to ±20°). Lengths in
 * pixels are the rig's 128-pixel lengths scaled to `side`.
 */
export function heartMasks(count: number, side: number, seed: number): Dataset {
  const rng = new Rng(`heart-masks/${seed}`);
  const k = side / 128;
  const masks = new Uint8Array(count * side * side);
  const items: DatasetItem[] = [];
  for (let n = 0; n < count; n++) {
    const scale = rng.uniform(0.8, 1.05) * k;
    const lvHalfWidth = 18 * scale * rng.uniform(0.85, 1.15);
    const apexRow = Math.round(rng.uniform(14, 24) * k);
    const upright = drawHeart({
      rows: side,
      cols: side,
      centerCol: Math.round(side / 2 + rng.uniform(-6, 6) * k),
      apexRow,
      baseRow: Math.round(apexRow + 60 * scale * rng.uniform(0.9, 1.1)),
      lvHalfWidth,
      capHeight: 27 * scale * rng.uniform(0.85, 1.15),
      myoThickness: rng.uniform(5, 9) * k,
      laHalfWidth: lvHalfWidth - rng.uniform(0.5, 3) * k,
      laHeight: 28 * scale * rng.uniform(0.8, 1.15),
    });
    const centre = side / 2;
    const tilt = chain(translation(-centre, -centre), rotation(rng.uniform(-20, 20)), translation(centre, centre));
    masks.set(warpAffine({ height: side, width: side, data: upright }, side, side, tilt).data, n * side * side);
    items.push({
      id: `heart${String(n).padStart(3, '0')}`,
      patient: `patient${String(n).padStart(4, '0')}`,
      view: n % 2 === 0 ? '2CH' : '4CH',
      phase: n % 4 < 2 ? 'ED' : 'ES',
      source: 'synthetic',
      nativeSize: [side, side],
      spacing: [0.3, 0.3],
      nativeSpacing: [0.3, 0.3],
      split: 'train',
    });
  }
  return { manifest: { format: 'cardigan-dataset/1', size: [side, side], hasImages: false, items }, masks };
}

export async function writeHeartMasks(dir: string, count: number, side: number, seed: number): Promise<Dataset> {
  const dataset = heartMasks(count, side, seed);
  await writeDataset(dir, dataset);
  return dataset;
}
