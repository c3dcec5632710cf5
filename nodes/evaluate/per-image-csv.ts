import { STRUCTURE_NAMES } from '../metrics/segmentation-metrics';
import { csvLine } from '../data/csv';
import { METRIC_NAMES } from './aggregate';
import type { ImageScore } from './image-score';

/**
 * per-image.csv: one line per (model, test image). A distance that is NaN (a structure empty in the
 * prediction or the ground truth) is an empty field, which pandas and R read as missing. The
 * `prediction` and `ground_truth` files and the `spacing_*` fields are exactly what
 * `cardigan metrics <prediction> <ground_truth> --spacing <spacing_row>,<spacing_col>` needs to
 * recompute the line's numbers.
 */

export const PER_IMAGE_HEADER = [
  'model',
  'item',
  'patient',
  'view',
  'phase',
  'source',
  'rows',
  'cols',
  'spacing_row',
  'spacing_col',
  ...STRUCTURE_NAMES.flatMap((structure) => METRIC_NAMES.map((metric) => `${structure}_${metric}`)),
  'valid',
  'anatomy_failures',
  'prediction',
  'ground_truth',
];

function number(value: number): string {
  return Number.isNaN(value) ? '' : String(value);
}

export function perImageCsv(scores: readonly ImageScore[]): string {
  const lines = scores.map((s) =>
    csvLine([
      s.model,
      s.item.id,
      s.item.patient,
      s.item.view,
      s.item.phase,
      s.item.source,
      s.size[0],
      s.size[1],
      // Empty spacing fields (and so empty distances): the item had none; summary.json lists it.
      s.spacing?.[0] ?? '',
      s.spacing?.[1] ?? '',
      ...STRUCTURE_NAMES.flatMap((structure) => METRIC_NAMES.map((metric) => number(s.metrics[structure][metric]))),
      s.valid ? 1 : 0,
      s.failures.join(' '),
      s.files.prediction,
      s.files.groundTruth,
    ]),
  );
  return csvLine(PER_IMAGE_HEADER) + lines.join('');
}
