import { labelSet, type LabelMask } from './label-mask';

/**
 * First and second moments of the pixels carrying some labels: the centroid and covariance behind the
 * epicardium centre and the LV principal (long) axis. Coordinates are edge coordinates (pixel centres at
 * +0.5), optionally divided by `scale` so that masks of different sizes compare (normalised coordinates).
 */
export interface RegionMoments {
  /** Number of pixels. */
  area: number;
  /** [row, col]; NaN when the region is empty. */
  centroid: [number, number];
  /** Population covariance [rr, rc, cc]. */
  covariance: [number, number, number];
}

export function regionMoments(mask: LabelMask, labels: readonly number[], scale: [number, number] = [1, 1]): RegionMoments {
  const member = labelSet(labels);
  let n = 0;
  let sr = 0;
  let sc = 0;
  let srr = 0;
  let src = 0;
  let scc = 0;
  for (let row = 0; row < mask.height; row++) {
    const r = (row + 0.5) / scale[0];
    const offset = row * mask.width;
    for (let col = 0; col < mask.width; col++) {
      if (member[mask.data[offset + col]] === 0) continue;
      const c = (col + 0.5) / scale[1];
      n++;
      sr += r;
      sc += c;
      srr += r * r;
      src += r * c;
      scc += c * c;
    }
  }
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
