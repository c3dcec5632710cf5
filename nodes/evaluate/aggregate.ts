import type { DatasetItem, Phase, View } from '../data/dataset-artifact';
import { STRUCTURE_NAMES, type StructureMetrics, type StructureName } from '../metrics/segmentation-metrics';
import { CLASSES, type ImageScore } from './image-score';

/**
 * Per-model summaries of per-image scores: mean ± standard deviation of every metric over the images
 * of a group (all, ED, ES), with NaN distances (a structure empty in the prediction or the ground
 * truth) left out of the mean and counted; the fraction of anatomically valid predictions; and
 * pixel IoU per class, its mean and pixel accuracy, pooled over the group's pixels as SPADE's
 * evaluation (a confusion matrix summed over the dataset) computes them.
 */

export type MetricName = keyof StructureMetrics;
/** Every metric of per-image.csv and summary.json; Table 1 shows a choice of them (paper-table.ts). */
export const METRIC_NAMES: readonly MetricName[] = ['dice', 'hd', 'assd', 'hd95', 'mad'];

export type GroupName = 'all' | Phase | View;
/** `all` first, then each phase and each view the test set has (CAMUS reports both breakdowns). */
export const GROUP_NAMES: readonly GroupName[] = ['all', 'ED', 'ES', '2CH', '4CH'];

/** Whether an item belongs to a group: every item to `all`, else by its phase or its view. */
export function inGroup(item: Pick<DatasetItem, 'phase' | 'view'>, group: GroupName): boolean {
  return group === 'all' || item.phase === group || item.view === group;
}

export interface MeanStd {
  /** Null when no image of the group has a finite value. */
  mean: number | null;
  /** Population standard deviation (NumPy's default, ddof = 0). */
  std: number | null;
  /** Images with a finite value. */
  n: number;
  /** Images where the value is NaN (a distance to an empty mask). */
  nan: number;
  /** Images left out because they have no pixel spacing (distances only); absent when none. */
  noSpacing?: number;
}

export interface PixelScores {
  /** IoU of background, LV, myocardium, LA; null for a class absent from both. */
  iou: (number | null)[];
  /** Mean of the non-null IoUs. */
  miou: number | null;
  /** Fraction of pixels labelled right. */
  accuracy: number;
}

export interface GroupSummary {
  images: number;
  metrics: Record<StructureName, Record<MetricName, MeanStd>>;
  valid: { count: number; fraction: number };
  pixels: PixelScores;
}

export type GroupSummaries = Partial<Record<GroupName, GroupSummary>>;

export function meanStd(values: readonly number[]): MeanStd {
  const finite = values.filter((v) => Number.isFinite(v));
  const nan = values.length - finite.length;
  if (finite.length === 0) return { mean: null, std: null, n: 0, nan };
  const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
  const variance = finite.reduce((s, v) => s + (v - mean) ** 2, 0) / finite.length;
  return { mean, std: Math.sqrt(variance), n: finite.length, nan };
}

export function pixelScores(confusions: readonly (readonly number[])[]): PixelScores {
  const total = new Array<number>(CLASSES * CLASSES).fill(0);
  for (const confusion of confusions) confusion.forEach((count, i) => (total[i] += count));
  const iou: (number | null)[] = [];
  let correct = 0;
  let pixels = 0;
  for (let c = 0; c < CLASSES; c++) {
    let truth = 0;
    let predicted = 0;
    for (let k = 0; k < CLASSES; k++) {
      truth += total[c * CLASSES + k];
      predicted += total[k * CLASSES + c];
    }
    const both = total[c * CLASSES + c];
    const union = truth + predicted - both;
    iou.push(union === 0 ? null : both / union);
    correct += both;
    pixels += truth;
  }
  const defined = iou.filter((v): v is number => v !== null);
  return { iou, miou: defined.length === 0 ? null : defined.reduce((s, v) => s + v, 0) / defined.length, accuracy: pixels === 0 ? 0 : correct / pixels };
}

export function summariseGroup(scores: readonly ImageScore[]): GroupSummary {
  const metrics = {} as GroupSummary['metrics'];
  for (const structure of STRUCTURE_NAMES) {
    metrics[structure] = {} as Record<MetricName, MeanStd>;
    for (const metric of METRIC_NAMES) {
      // A distance without pixel spacing was never measured: it is counted apart, not as an empty structure.
      const measured = metric === 'dice' ? scores : scores.filter((s) => s.spacing !== null);
      const summary = meanStd(measured.map((s) => s.metrics[structure][metric]));
      metrics[structure][metric] = measured.length < scores.length ? { ...summary, noSpacing: scores.length - measured.length } : summary;
    }
  }
  const valid = scores.filter((s) => s.valid).length;
  return {
    images: scores.length,
    metrics,
    valid: { count: valid, fraction: scores.length === 0 ? 0 : valid / scores.length },
    pixels: pixelScores(scores.map((s) => s.confusion)),
  };
}

/**
 * One model's scores by group: `all`, ED and ES where the test set has them, and 2CH and 4CH where it
 * has both (a test set of one view would repeat `all` under its name).
 */
export function summariseModel(scores: readonly ImageScore[]): GroupSummaries {
  const groups: GroupSummaries = {};
  const views = new Set(scores.map((s) => s.item.view)).size;
  for (const group of GROUP_NAMES) {
    const members = scores.filter((s) => inGroup(s.item, group));
    const isView = group === '2CH' || group === '4CH';
    if (group === 'all' || (members.length > 0 && (!isView || views > 1))) groups[group] = summariseGroup(members);
  }
  return groups;
}
