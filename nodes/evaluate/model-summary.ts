import type { GroupSummaries } from './aggregate';
import type { PaperValues } from './paper-table';

/** One evaluated model in summary.json, and the settings an evaluation ran with. */

export type Protocol = 'segmentation' | 'spade';
export type Resolution = 'native' | 'model';
/** Which Hausdorff distance Table 1 shows: the maximum (the paper's HD) or the 95th percentile. */
export type Hausdorff = 'max' | 'hd95';

export interface ModelSummary {
  /** The model's node id. */
  id: string;
  className: string;
  /** The Table 1 row: training data and model name. */
  dataset: string;
  model: string;
  /** Its `seed` matrix value: models differing only by it are also summarised together (seedRows). */
  seed?: string;
  /** The paper's numbers for this row, with the dataset and model names it prints. */
  paper: { dataset: string; model: string; values: PaperValues } | null;
  groups: GroupSummaries;
}
