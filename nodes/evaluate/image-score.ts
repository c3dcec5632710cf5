import type { CriterionId } from '../anatomy/criteria';
import type { DatasetItem } from '../data/dataset-artifact';
import type { SegmentationMetrics } from '../metrics/segmentation-metrics';

/** Background, LV, myocardium, LA. */
export const CLASSES = 4;

/** Everything measured for one model on one test image: a line of per-image.csv. */
export interface ImageScore {
  /** The model's node id. */
  model: string;
  item: Pick<DatasetItem, 'id' | 'patient' | 'view' | 'phase' | 'source'>;
  /** [rows, cols] of the grid the metrics were computed on. */
  size: [number, number];
  /**
   * [row, col] mm of that grid; null when the test item has none: its distances (NaN in `metrics`)
   * were not measured, and the summaries count the image as left out of them rather than as empty.
   */
  spacing: [number, number] | null;
  metrics: SegmentationMetrics;
  /** Whether the prediction (at the model's size) passes every anatomical criterion. */
  valid: boolean;
  failures: CriterionId[];
  /** Pixel counts [ground truth][prediction], row-major CLASSES × CLASSES, on the metrics grid. */
  confusion: number[];
  /** Files of the output, relative to it, holding the two label maps the metrics compare. */
  files: { prediction: string; groundTruth: string };
}

/** Pixel counts of (ground-truth label, predicted label) pairs, row-major [CLASSES × CLASSES]. */
export function confusionMatrix(prediction: Uint8Array, groundTruth: Uint8Array): number[] {
  const counts = new Array<number>(CLASSES * CLASSES).fill(0);
  for (let i = 0; i < prediction.length; i++) counts[groundTruth[i] * CLASSES + prediction[i]]++;
  return counts;
}
