import type { GroupName } from './aggregate';
import type { ClinicalSummary } from './clinical';
import type { Hausdorff, ModelSummary, Protocol, Resolution } from './model-summary';
import type { PairedTest } from './paired-tests';
import type { SeedRowSummary } from './seed-rows';

/**
 * What summary.json holds: everything Table 1 is rendered from, so that the table can be redrawn
 * (or checked) from this file alone.
 */

/** A test item some metrics could not be computed on, and what it is left out of. */
export interface ItemExclusion {
  item: string;
  patient: string;
  reason: string;
  /** Metric names (per-image.csv's, e.g. `hd`) and `clinical` for the clinical indices. */
  leftOutOf: string[];
}

export interface EvaluationSummary {
  format: 'cardigan-evaluation/1';
  protocol: Protocol;
  /** The grid the metrics were computed on (the spade protocol always uses the stored one). */
  resolution: Resolution;
  test: { from: string; items: number; size: [number, number] };
  /** Table 1's Hausdorff column: the maximum (the paper's HD) or the 95th percentile (HD95). Absent in files from before the option: the maximum. */
  hausdorff?: Hausdorff;
  models: ModelSummary[];
  /** Rows over seeds (seed-rows.ts): present when some row has two or more seeds; Table 1 shows these instead of their members. */
  seedRows?: SeedRowSummary[];
  /** CAMUS against each other training set, per model, structure and metric (paired-tests.ts). */
  pairedTests?: PairedTest[];
  /** EDV, ESV and EF per model against the ground truth (clinical.ts); absent when not computed. */
  clinical?: ClinicalSummary;
  /** Test items left out of some metrics (an item without pixel spacing: of the distances); absent when none. */
  exclusions?: ItemExclusion[];
  /** Anatomical validity of the ground-truth masks themselves (at the stored size), for reference. */
  groundTruthValid: Partial<Record<GroupName, { count: number; fraction: number }>>;
}
