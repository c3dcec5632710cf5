import wilcoxon from '@stdlib/stats-wilcoxon';

/**
 * The two-sided Wilcoxon signed-rank test of paired samples, as SciPy's `scipy.stats.wilcoxon(x, y)`
 * with its defaults (zero_method 'wilcox': zero differences are dropped; no continuity correction).
 * stdlib computes it; this adds SciPy's two-sided statistic and says which p-value it is:
 * - exact (the signed-rank distribution) when at most 50 differences remain and none is zero and no
 *   two |differences| tie;
 * - otherwise the normal approximation, its variance corrected for ties.
 * SciPy 1.10's `method='auto'` differs in one case: with ties and no zeros at n ≤ 50 it still takes
 * its exact branch, on ranks that are no longer integers; the normal approximation is the right one.
 * p-values below about 1e-14 are not resolved (stdlib computes 1 − Φ(|z|)).
 */

export type WilcoxonMethod = 'exact' | 'normal';

export interface WilcoxonResult {
  /** Pairs with a non-zero difference: the n of the test. */
  n: number;
  /** Pairs whose difference is exactly zero (dropped). */
  zeros: number;
  /** min(T+, T−): the smaller sum of ranks of |difference| over positive and over negative differences. */
  statistic: number;
  /** Sum of the ranks of the positive differences (x > y). */
  rankSumPositive: number;
  /** Two-sided p-value; null when every difference is zero (no test is possible). */
  pValue: number | null;
  /** Null with pValue. */
  method: WilcoxonMethod | null;
  /** Median of x − y over all pairs, zeros included. */
  medianDifference: number;
}

/** The largest n for which the exact distribution is used. */
export const EXACT_MAX_N = 50;

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function hasTies(values: readonly number[]): boolean {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.some((value, i) => i > 0 && value === sorted[i - 1]);
}

export function wilcoxonSignedRank(x: readonly number[], y: readonly number[]): WilcoxonResult {
  if (x.length !== y.length) throw new Error(`wilcoxonSignedRank: ${x.length} values against ${y.length}; the samples must be paired`);
  if (x.some((v) => !Number.isFinite(v)) || y.some((v) => !Number.isFinite(v)))
    throw new Error('wilcoxonSignedRank: every value must be finite (drop NaN pairs first)');
  const differences = x.map((v, i) => v - y[i]);
  const nonZero = differences.filter((d) => d !== 0);
  const n = nonZero.length;
  const base = { n, zeros: differences.length - n, medianDifference: median(differences) };
  if (n === 0) return { ...base, statistic: 0, rankSumPositive: 0, pValue: null, method: null };
  // stdlib refuses a single pair; its exact distribution puts half the mass on each sign: p = 1.
  if (x.length === 1) return { ...base, statistic: 0, rankSumPositive: differences[0] > 0 ? 1 : 0, pValue: 1, method: 'exact' };
  const exact = n <= EXACT_MAX_N && base.zeros === 0 && !hasTies(nonZero.map(Math.abs));
  const result = wilcoxon([...x], [...y], { correction: false, zeroMethod: 'wilcox', alternative: 'two-sided' });
  const total = (n * (n + 1)) / 2;
  return {
    ...base,
    statistic: Math.min(result.statistic, total - result.statistic),
    rankSumPositive: result.statistic,
    // At the centre of the exact distribution stdlib doubles a tail that holds the centre itself.
    pValue: Math.min(1, result.pValue),
    method: exact ? 'exact' : 'normal',
  };
}
