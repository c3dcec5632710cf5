/**
 * Distances between two 1-D samples, as scipy.stats defines them (tests cross-check both): the
 * 1-Wasserstein distance (area between the two empirical CDFs) and the two-sample Kolmogorov–Smirnov
 * statistic (largest gap between them). Both take samples of different sizes.
 */

export function wassersteinDistance(u: readonly number[], v: readonly number[]): number {
  const [a, b] = [sortedSample(u, 'first'), sortedSample(v, 'second')];
  const all = [...a, ...b].sort((x, y) => x - y);
  let distance = 0;
  let i = 0;
  let j = 0;
  for (let k = 0; k < all.length - 1; k++) {
    // Both CDFs are constant on [all[k], all[k+1]): count the values ≤ all[k].
    while (i < a.length && a[i] <= all[k]) i++;
    while (j < b.length && b[j] <= all[k]) j++;
    distance += Math.abs(i / a.length - j / b.length) * (all[k + 1] - all[k]);
  }
  return distance;
}

export function ksStatistic(u: readonly number[], v: readonly number[]): number {
  const [a, b] = [sortedSample(u, 'first'), sortedSample(v, 'second')];
  let i = 0;
  let j = 0;
  let largest = 0;
  // The gap only changes at sample values; evaluate both right-continuous CDFs just after each one.
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] <= x) i++;
    while (j < b.length && b[j] <= x) j++;
    largest = Math.max(largest, Math.abs(i / a.length - j / b.length));
  }
  return largest;
}

function sortedSample(values: readonly number[], which: string): number[] {
  if (values.length === 0) throw new Error(`distribution distance: the ${which} sample is empty`);
  if (values.some((value) => !Number.isFinite(value))) throw new Error(`distribution distance: the ${which} sample has a value that is not finite`);
  return [...values].sort((x, y) => x - y);
}
