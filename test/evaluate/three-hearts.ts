import type { Dataset, DatasetItem, Phase } from '../../nodes/data/dataset-artifact';

/**
 * A three-image test set at 32×32 whose "acquisitions" were 96×64 (3 native rows and 2 native
 * columns per stored pixel; native spacing 0.1 × 0.2 mm, so 0.3 × 0.4 mm stored). Each image holds
 * the mask a model should predict, as mask/3 (see intensity-unet.ts), so the predictions are known:
 * - 0 (ED): the ground truth moved down by 2 rows;
 * - 1 (ES): the ground truth without its LA;
 * - 2 (ES): the ground truth with its LV painted as myocardium (an empty endo prediction).
 */

export const SIZE = 32;
export const NATIVE: [number, number] = [96, 64];
export const NATIVE_SPACING: [number, number] = [0.1, 0.2];
export const STORED_SPACING: [number, number] = [0.3, 0.4];

function fill(mask: Uint8Array, r0: number, r1: number, c0: number, c1: number, value: number): void {
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) mask[r * SIZE + c] = value;
}

/** Myocardium block, LV inside it, LA below; `down` moves it all. */
export function heart(down = 0): Uint8Array {
  const mask = new Uint8Array(SIZE * SIZE);
  fill(mask, 4 + down, 20 + down, 8, 24, 2);
  fill(mask, 6 + down, 20 + down, 11, 21, 1);
  fill(mask, 20 + down, 27 + down, 11, 21, 3);
  return mask;
}

export interface KnownSet {
  dataset: Dataset & { images: Float32Array };
  groundTruths: Uint8Array[];
  predictions: Uint8Array[];
}

export function threeHearts(source: DatasetItem['source'] = 'real'): KnownSet {
  const truth = heart();
  const predictions = [heart(2), truth.map((v) => (v === 3 ? 0 : v)), truth.map((v) => (v === 1 ? 2 : v))];
  const phases: Phase[] = ['ED', 'ES', 'ES'];
  const items: DatasetItem[] = phases.map((phase, i) => ({
    id: `patient000${i + 1}_4CH_${phase}`,
    patient: `patient000${i + 1}`,
    view: '4CH',
    phase,
    source,
    nativeSize: NATIVE,
    spacing: STORED_SPACING,
    nativeSpacing: NATIVE_SPACING,
    split: 'test',
  }));
  const pixels = SIZE * SIZE;
  const masks = new Uint8Array(3 * pixels);
  const images = new Float32Array(3 * pixels);
  predictions.forEach((prediction, i) => {
    masks.set(truth, i * pixels);
    images.set(
      Float32Array.from(prediction, (v) => v / 3),
      i * pixels,
    );
  });
  return {
    dataset: { manifest: { format: 'cardigan-dataset/1', size: [SIZE, SIZE], hasImages: true, items }, images, masks },
    groundTruths: [truth, truth, truth],
    predictions,
  };
}

/** Each stored pixel as a block of native pixels: what resampling a piecewise-constant map at integer factors must give. */
export function blockUpsample(mask: Uint8Array): Uint8Array {
  const [rows, cols] = NATIVE;
  const fr = rows / SIZE;
  const fc = cols / SIZE;
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = mask[Math.floor(r / fr) * SIZE + Math.floor(c / fc)];
  return out;
}
