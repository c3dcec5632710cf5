import type { LabelMask } from '../data/label-mask';

/**
 * First and second moments of the pixels carrying some labels: the centroid and covariance behind the
 * epicardium centre and the LV principal (long) axis. One pass over the mask sums every label at once
 * (labelSums); any union of labels is then a sum of those (regionMoments). Coordinates are edge
 * coordinates (pixel centres at +0.5), optionally divided by `scale` so that masks of different sizes
 * compare (normalised coordinates).
 */

/** Per label 0..3: count, Σrow, Σcol, Σrow², Σrow·col, Σcol² (6 values each). Other values count nowhere. */
export type LabelSums = Float64Array;

const LABELS = 4;
const FIELDS = 6;

export interface RegionMoments {
  /** Number of pixels. */
  area: number;
  /** [row, col]; NaN when the region is empty. */
  centroid: [number, number];
  /** Population covariance [rr, rc, cc]. */
  covariance: [number, number, number];
}

export function labelSums(mask: LabelMask, scale: [number, number] = [1, 1]): LabelSums {
  const sums = new Float64Array(LABELS * FIELDS);
  for (let row = 0; row < mask.height; row++) {
    const r = (row + 0.5) / scale[0];
    const offset = row * mask.width;
    for (let col = 0; col < mask.width; col++) {
      const label = mask.data[offset + col];
      if (label >= LABELS) continue;
      const c = (col + 0.5) / scale[1];
      const k = label * FIELDS;
      sums[k] += 1;
      sums[k + 1] += r;
      sums[k + 2] += c;
      sums[k + 3] += r * r;
      sums[k + 4] += r * c;
      sums[k + 5] += c * c;
    }
  }
  return sums;
}

export function regionMoments(sums: LabelSums, labels: readonly number[]): RegionMoments {
  const total = new Array<number>(FIELDS).fill(0);
  for (const label of labels) for (let f = 0; f < FIELDS; f++) total[f] += sums[label * FIELDS + f];
  const [n, sr, sc, srr, src, scc] = total;
  if (n === 0) return { area: 0, centroid: [NaN, NaN], covariance: [NaN, NaN, NaN] };
  const mr = sr / n;
  const mc = sc / n;
  return { area: n, centroid: [mr, mc], covariance: [srr / n - mr * mr, src / n - mr * mc, scc / n - mc * mc] };
}

/** Unit eigenvector [row, col] of the largest eigenvalue of a 2×2 covariance: the direction of elongation. */
export function principalAxis(covariance: [number, number, number]): [number, number] {
  const [a, b, d] = covariance;
  const largest = (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
  // (A − λI)v = 0 gives v ∝ (b, λ − a) or (λ − d, b); take the better-conditioned of the two.
  const v1: [number, number] = [b, largest - a];
  const v2: [number, number] = [largest - d, b];
  const v = Math.hypot(...v1) >= Math.hypot(...v2) ? v1 : v2;
  const norm = Math.hypot(v[0], v[1]);
  // A round region has no preferred axis: call it vertical.
  return norm < 1e-12 ? [-1, 0] : [v[0] / norm, v[1] / norm];
}
