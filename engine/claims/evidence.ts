import type { Result } from '../errors';
import type { ResolvedClaim, ResolvedExperiment } from '../experiment/resolved';
import type { NodeEntry } from '../run/report-source';

/**
 * What a claim is decided from. The engine knows how to decide (verdict.ts) but not where a metric
 * lives in a node's files: the program supplies that (`Program.claims`, nodes/claims/ for cardigan's
 * Table 1), as it supplies the report builder.
 */

/** One row of a claim on its metric: the mean over its seeds of each seed's mean, and their spread. */
export interface RowEvidence {
  /** null when no seed has a finite value. */
  mean: number | null;
  /** Sample standard deviation over seeds; null with fewer than two. */
  std: number | null;
  /** Seeds with a value. */
  seeds: number;
}

/** A two-sided paired test of a against b (e.g. Wilcoxon signed-rank, paired by test image). */
export interface PairedEvidence {
  /** null when the test has nothing to rank (every difference zero). */
  pValue: number | null;
  /** Pairs that entered the test. */
  n: number;
  /** What was tested, for the reader, e.g. `Wilcoxon signed-rank over 16 test images`. */
  method: string;
}

export interface ClaimEvidence {
  a: RowEvidence;
  b: RowEvidence;
  test: PairedEvidence | null;
}

/** How a program finds and reads the evidence for claims. Keep `metrics` and `evidenceNode` cheap: `validate` uses them. */
export interface ClaimSupport {
  /** The metric names a claim may use, e.g. dice_endo. */
  readonly metrics: readonly string[];
  /**
   * The node whose results decide the claim (cardigan: the evaluate node that scored every node of
   * both rows), or a sentence saying why there is none.
   */
  evidenceNode(claim: ResolvedClaim, experiment: ResolvedExperiment): Result<string, string>;
  /** Reads the evidence from that node's cached entry; a failure is a sentence (a file missing, a row absent). */
  read(claim: ResolvedClaim, entry: NodeEntry): Promise<Result<ClaimEvidence, string>>;
}
