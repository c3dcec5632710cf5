import { CRITERIA, DEFAULT_THRESHOLDS, structuresOf, type AnatomyThresholds, type CriterionId, type CriterionResult } from './criteria';

export interface AnatomyVerdict {
  /** True when every criterion passes. */
  valid: boolean;
  /** The criteria that failed, in CRITERIA order. */
  failures: CriterionId[];
  /** Every criterion's value and threshold, for reports. */
  criteria: Record<CriterionId, CriterionResult>;
}

/**
 * Whether a label map (row-major [rows, cols], 0 background, 1 LV, 2 myocardium, 3 LA) is anatomically
 * plausible by every criterion of DESIGN.md §5. The evaluate node reports the fraction of predictions
 * that are; the degenerate-mask filter keeps only those.
 */
export function isAnatomicallyValid(mask: Uint8Array, rows: number, cols: number, thresholds: AnatomyThresholds = DEFAULT_THRESHOLDS): AnatomyVerdict {
  const structures = structuresOf(mask, rows, cols);
  const criteria = {} as Record<CriterionId, CriterionResult>;
  const failures: CriterionId[] = [];
  for (const criterion of CRITERIA) {
    const result = criterion.check(structures, thresholds);
    criteria[criterion.id] = result;
    if (!result.pass) failures.push(criterion.id);
  }
  return { valid: failures.length === 0, failures, criteria };
}
