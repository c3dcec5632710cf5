import { pairwiseDistances, stackRows, type DistanceMatrix, type Matrix } from './distances';
import { kthNeighbourDistances, range } from './knn';

/**
 * How an artificial set sits with respect to a real one, from k-NN balls in feature space:
 * precision and recall (Kynkäänniemi et al. 2019, "Improved precision and recall metric for assessing
 * generative models"), density and coverage (Naeem et al. 2020, "Reliable fidelity and diversity
 * metrics for generative models"), with the conventions of the authors' reference code (`prdc`):
 * a point's radius is the distance to its k-th nearest neighbour in its own set, itself excluded, and
 * "inside a ball" is a strict `<`. With these conventions a set compared with itself scores exactly
 * 1 on all four (when no two distances tie at a radius).
 */
export interface GapMetrics {
  /** Share of artificial points inside at least one real point's k-NN ball: fidelity. */
  precision: number;
  /** Share of real points inside at least one artificial point's k-NN ball: diversity. */
  recall: number;
  /** Mean number of real balls holding an artificial point, divided by k: ~1 when the sets match. */
  density: number;
  /** Share of real points whose own k-NN ball holds at least one artificial point. */
  coverage: number;
  k: number;
  nReal: number;
  nArtificial: number;
}

/** Gap metrics of the points `artificial` against the points `real`, all indices into `d`. */
export function gapMetrics(d: DistanceMatrix, real: ArrayLike<number>, artificial: ArrayLike<number>, k: number): GapMetrics {
  for (const [name, set] of [
    ['real', real],
    ['artificial', artificial],
  ] as const) {
    if (set.length <= k) {
      throw new Error(`gap metrics: the ${name} set has ${set.length} points; k = ${k} needs at least ${k + 1}`);
    }
  }
  const realRadii = kthNeighbourDistances(d, real, k);
  const artificialRadii = kthNeighbourDistances(d, artificial, k);

  let precise = 0;
  let ballsHolding = 0;
  for (let a = 0; a < artificial.length; a++) {
    const row = artificial[a] * d.n;
    let inside = 0;
    for (let r = 0; r < real.length; r++) if (d.data[row + real[r]] < realRadii[r]) inside++;
    if (inside > 0) precise++;
    ballsHolding += inside;
  }

  let recalled = 0;
  let covered = 0;
  for (let r = 0; r < real.length; r++) {
    const row = real[r] * d.n;
    let nearest = Infinity;
    let insideSome = false;
    for (let a = 0; a < artificial.length; a++) {
      const distance = d.data[row + artificial[a]];
      if (distance < nearest) nearest = distance;
      if (distance < artificialRadii[a]) insideSome = true;
    }
    if (insideSome) recalled++;
    if (nearest < realRadii[r]) covered++;
  }

  return {
    precision: precise / artificial.length,
    recall: recalled / real.length,
    density: ballsHolding / (k * artificial.length),
    coverage: covered / real.length,
    k,
    nReal: real.length,
    nArtificial: artificial.length,
  };
}

/** Gap metrics straight from two feature matrices (for callers without a distance matrix at hand). */
export function gapMetricsOf(real: Matrix, artificial: Matrix, k: number): GapMetrics {
  const d = pairwiseDistances(stackRows([real, artificial]));
  return gapMetrics(d, range(0, real.rows), range(real.rows, real.rows + artificial.rows), k);
}
