import type { DistanceMatrix } from './distances';
import { nearestNeighbours, range } from './knn';

/**
 * Trustworthiness of an embedding (Venna & Kaski 2001), as sklearn.manifold.trustworthiness defines it:
 *
 *   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σᵢ Σ_{j ∈ Nᵢᵏ} max(0, r(i, j) − k)
 *
 * where Nᵢᵏ are the k nearest neighbours of i in the embedding and r(i, j) is the rank of j among i's
 * neighbours in the original space (1 = nearest, i itself excluded). It penalises points that look
 * like neighbours in the picture but are not in the data: 1 means every neighbourhood the plot shows
 * is real. Ranks here count strictly closer points, so tied distances share the best rank.
 */
export function trustworthiness(original: DistanceMatrix, embedded: DistanceMatrix, k: number): number {
  const n = original.n;
  if (embedded.n !== n) throw new Error(`trustworthiness: ${n} original points but ${embedded.n} embedded`);
  if (!Number.isInteger(k) || k < 1 || k >= n / 2) {
    throw new Error(`trustworthiness: k = ${k} must be a positive integer below n/2 = ${n / 2}`);
  }
  const all = range(0, n);
  const neighbours = nearestNeighbours(embedded, all, all, k, { excludeSelf: true });
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let s = 0; s < k; s++) {
      const j = neighbours.indices[i * k + s];
      const reference = original.data[row + j];
      let rank = 1;
      for (let m = 0; m < n; m++) if (m !== i && original.data[row + m] < reference) rank++;
      if (rank > k) penalty += rank - k;
    }
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
