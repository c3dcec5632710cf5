import { EPICARDIUM, Label, labelSet } from '../data/label-mask';
import { crop, nonZeroBox } from './box';
import { squaredDistanceTransform, type Spacing } from './edt';
import { erode } from './erosion';

/**
 * Dice, Hausdorff distance and average symmetric surface distance, defined exactly as MedPy 0.5
 * (`medpy.metric.binary.dc`, `hd`, `assd`), which the CAMUS evaluation uses:
 *
 * - Dice = 2|A∩B| / (|A|+|B|); two empty masks give 1 (MedPy ≥ 0.5.0; 0.4 returned 0).
 * - surface = mask XOR its erosion by the 4-connected cross (`generate_binary_structure(2, 1)`), the
 *   image's outside counting as background, so a mask touching the border has a surface there.
 * - directed distances: for every surface pixel of one mask, the exact Euclidean distance (with the
 *   [row, col] spacing) to the nearest surface pixel of the other.
 * - HD = the larger of the two directed maxima.
 * - ASSD = the mean of all directed distances of both directions pooled together (MedPy ≥ 0.5.0;
 *   MedPy ≤ 0.4 averaged the two directed means, which differs when the surfaces differ in length).
 * - HD95 = the 95th percentile of those pooled distances (MedPy's `hd95`, NumPy's linear
 *   interpolation between order statistics): the paper and CAMUS report HD, the maximum; HD95 is an
 *   option and always carries its own name.
 * - MAD = the mean absolute distance of the CAMUS benchmark (dm): the mean of the two directed mean
 *   distances, contour to contour and back, each direction weighing the same whatever its length.
 *
 * MedPy raises when a mask is empty; here HD and ASSD are NaN instead and the caller counts them.
 */

export interface StructureMetrics {
  dice: number;
  /** Hausdorff distance in the spacing's unit (mm), NaN when either mask is empty. */
  hd: number;
  /** Average symmetric surface distance in the spacing's unit (mm), NaN when either mask is empty. */
  assd: number;
  /** 95th percentile of the pooled surface distances (mm), NaN when either mask is empty. */
  hd95: number;
  /** Mean of the two directed mean surface distances (mm), CAMUS's dm; NaN when either mask is empty. */
  mad: number;
}

export type StructureName = 'endo' | 'epi' | 'la';

/** Label values (DESIGN.md §4: 1 LV, 2 myocardium, 3 LA) that make up each evaluated structure. */
export const STRUCTURE_LABELS: Readonly<Record<StructureName, readonly number[]>> = {
  endo: [Label.lv],
  epi: EPICARDIUM,
  la: [Label.la],
};

export const STRUCTURE_NAMES = Object.keys(STRUCTURE_LABELS) as StructureName[];

export type SegmentationMetrics = Record<StructureName, StructureMetrics>;

/** Metrics of every structure for one predicted label map against its ground truth. */
export function segmentationMetrics(pred: Uint8Array, gt: Uint8Array, rows: number, cols: number, spacing: Spacing): SegmentationMetrics {
  if (pred.length !== rows * cols || gt.length !== rows * cols) {
    throw new Error(`segmentationMetrics: ${rows}×${cols} label maps need ${rows * cols} pixels, got ${pred.length} and ${gt.length}`);
  }
  const result = {} as SegmentationMetrics;
  for (const name of STRUCTURE_NAMES) {
    const labels = STRUCTURE_LABELS[name];
    result[name] = binaryMetrics(binaryMask(pred, labels), binaryMask(gt, labels), rows, cols, spacing);
  }
  return result;
}

/** 1 where the label map holds one of `labels`, else 0. */
export function binaryMask(labelMap: Uint8Array, labels: readonly number[]): Uint8Array {
  const selected = labelSet(labels);
  const out = new Uint8Array(labelMap.length);
  for (let i = 0; i < labelMap.length; i++) out[i] = selected[labelMap[i]];
  return out;
}

export function dice(a: Uint8Array, b: Uint8Array): number {
  let sizeA = 0;
  let sizeB = 0;
  let both = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x) sizeA++;
    if (y) sizeB++;
    if (x && y) both++;
  }
  return sizeA + sizeB === 0 ? 1 : (2 * both) / (sizeA + sizeB);
}

/** Mask XOR its 4-connected erosion: the one-pixel inner border MedPy measures distances between. */
export function surface(mask: Uint8Array, rows: number, cols: number): Uint8Array {
  const eroded = erode(mask, rows, cols, { connectivity: 4, outside: 'background' });
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] !== 0 && eroded[i] === 0 ? 1 : 0;
  return out;
}

/** For each surface pixel of `from` (row-major order), its distance to the nearest surface pixel of `to`. */
export function directedSurfaceDistances(fromSurface: Uint8Array, toSurface: Uint8Array, rows: number, cols: number, spacing: Spacing): Float64Array {
  const squared = squaredDistanceTransform(toSurface, rows, cols, spacing);
  let count = 0;
  for (let i = 0; i < fromSurface.length; i++) if (fromSurface[i] !== 0) count++;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < fromSurface.length; i++) if (fromSurface[i] !== 0) out[k++] = Math.sqrt(squared[i]);
  return out;
}

/** Dice, HD and ASSD of two binary masks of the same [rows, cols] size. */
export function binaryMetrics(pred: Uint8Array, gt: Uint8Array, rows: number, cols: number, spacing: Spacing): StructureMetrics {
  const overlap = dice(pred, gt);
  const box = nonZeroBox([pred, gt], rows, cols);
  if (box === undefined || !hasAny(pred) || !hasAny(gt)) return { dice: overlap, hd: NaN, assd: NaN, hd95: NaN, mad: NaN };
  // Cropping to the box around both masks is exact: every surface pixel, and so every nearest
  // partner, lies inside it, and the crop's edge is background or the image's own edge.
  const a = crop(pred, cols, box);
  const b = crop(gt, cols, box);
  const surfaceA = surface(a, box.rows, box.cols);
  const surfaceB = surface(b, box.rows, box.cols);
  const ab = directedSurfaceDistances(surfaceA, surfaceB, box.rows, box.cols, spacing);
  const ba = directedSurfaceDistances(surfaceB, surfaceA, box.rows, box.cols, spacing);
  let max = 0;
  let sum = 0;
  const means: number[] = [];
  for (const distances of [ab, ba]) {
    let directed = 0;
    for (let i = 0; i < distances.length; i++) {
      directed += distances[i];
      if (distances[i] > max) max = distances[i];
    }
    sum += directed;
    means.push(directed / distances.length);
  }
  const pooled = new Float64Array(ab.length + ba.length);
  pooled.set(ab);
  pooled.set(ba, ab.length);
  return { dice: overlap, hd: max, assd: sum / pooled.length, hd95: percentile(pooled, 95), mad: (means[0] + means[1]) / 2 };
}

/** NumPy's default percentile (linear interpolation between the closest order statistics); sorts in place. */
export function percentile(values: Float64Array, q: number): number {
  values.sort();
  const position = ((values.length - 1) * q) / 100;
  const low = Math.floor(position);
  const high = Math.min(low + 1, values.length - 1);
  return values[low] + (position - low) * (values[high] - values[low]);
}

function hasAny(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) return true;
  return false;
}
