import type { DistanceMatrix } from './distances';

/**
 * Exact k nearest neighbours read off a distance matrix, by partial selection: a sorted buffer of the
 * k best so far, which a candidate enters only when it beats the current k-th (k is small, the
 * candidate lists long). Ties keep the lower index, so the result is deterministic.
 */

/** Row-major [queries × k]: the neighbours of query q are at q·k … q·k+k−1, nearest first. */
export interface Neighbours {
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float32Array;
}

export interface NeighbourOptions {
  /** Leave a query out of its own candidates (when queries and candidates are the same set). */
  excludeSelf: boolean;
}

/** The k nearest of `candidates` (point indices) for each of `queries`, under the distances `d`. */
export function nearestNeighbours(
  d: DistanceMatrix,
  queries: ArrayLike<number>,
  candidates: ArrayLike<number>,
  k: number,
  options: NeighbourOptions,
): Neighbours {
  const available = candidates.length - (options.excludeSelf ? 1 : 0);
  if (!Number.isInteger(k) || k < 1 || k > available) {
    throw new Error(`k-NN: k = ${k} needs between 1 and ${available} candidates per query`);
  }
  const indices = new Int32Array(queries.length * k);
  const distances = new Float32Array(queries.length * k);
  for (let q = 0; q < queries.length; q++) {
    const query = queries[q];
    const row = query * d.n;
    const base = q * k;
    let filled = 0;
    for (let c = 0; c < candidates.length; c++) {
      const candidate = candidates[c];
      if (options.excludeSelf && candidate === query) continue;
      const value = d.data[row + candidate];
      if (filled === k && value >= distances[base + k - 1]) continue;
      let slot = filled < k ? filled++ : k - 1;
      while (slot > 0 && distances[base + slot - 1] > value) {
        distances[base + slot] = distances[base + slot - 1];
        indices[base + slot] = indices[base + slot - 1];
        slot--;
      }
      distances[base + slot] = value;
      indices[base + slot] = candidate;
    }
  }
  return { k, indices, distances };
}

/** Distance from each point of `set` to its k-th nearest other point of `set`: the k-NN radius. */
export function kthNeighbourDistances(d: DistanceMatrix, set: ArrayLike<number>, k: number): Float32Array {
  const { distances } = nearestNeighbours(d, set, set, k, { excludeSelf: true });
  const radii = new Float32Array(set.length);
  for (let i = 0; i < set.length; i++) radii[i] = distances[i * k + k - 1];
  return radii;
}

/** 0, 1, …, n−1: the index set of a whole matrix or a contiguous block of it. */
export function range(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
