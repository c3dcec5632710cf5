/**
 * Agreement of a measurement with its reference over patients, as the CAMUS benchmark reports the
 * clinical indices (Leclerc et al. 2019) and as a Bland–Altman plot draws it: Pearson's r, the bias
 * (mean of predicted − reference), the standard deviation of those differences (sample, n − 1, as
 * Bland and Altman use), the 95 % limits of agreement bias ± 1.96 SD, and the mean absolute error.
 */

export interface Agreement {
  /** Patients compared. */
  n: number;
  /** Null with fewer than 2 patients or when either side does not vary. */
  r: number | null;
  bias: number | null;
  /** Null with fewer than 2 patients. */
  sd: number | null;
  loa: [number, number] | null;
  mae: number | null;
}

export const LOA_FACTOR = 1.96;

export function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  if (n < 2) return null;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

export function agreement(reference: readonly number[], predicted: readonly number[]): Agreement {
  if (reference.length !== predicted.length) throw new Error(`agreement: ${reference.length} references but ${predicted.length} predictions`);
  const n = reference.length;
  if (n === 0) return { n, r: null, bias: null, sd: null, loa: null, mae: null };
  const differences = predicted.map((p, i) => p - reference[i]);
  const bias = differences.reduce((s, d) => s + d, 0) / n;
  const mae = differences.reduce((s, d) => s + Math.abs(d), 0) / n;
  const sd = n < 2 ? null : Math.sqrt(differences.reduce((s, d) => s + (d - bias) ** 2, 0) / (n - 1));
  return { n, r: pearson(reference, predicted), bias, sd, loa: sd === null ? null : [bias - LOA_FACTOR * sd, bias + LOA_FACTOR * sd], mae };
}
