import { UMAP } from 'umap-js';
import { mulberry32 } from '../data/random';
import type { DistanceMatrix } from './distances';
import { nearestNeighbours, range } from './knn';

export interface EmbedOptions {
  nComponents: number;
  nNeighbors: number;
  minDist: number;
  seed: number;
  /** Optimisation epochs; undefined keeps umap-js's rule (500 up to 2,500 points, fewer above). */
  nEpochs?: number;
  /** Called every few epochs; throwing (e.g. on abort) stops the fit. */
  onEpoch?: (done: number, total: number) => void;
}

/**
 * UMAP of the points whose pairwise distances are given, with umap-js, deterministic for a seed.
 *
 * The k-NN graph is exact and comes from the distance matrix the gap metrics use anyway, handed to
 * umap-js with setPrecomputedKNN: its own NN-descent on number[][] is approximate and, at thousands
 * of dimensions, slower than reading the neighbours off that matrix (see test/bench/umap.ts). As in
 * umap-learn, each point's list starts with itself at distance 0.
 */
export function embed(distances: DistanceMatrix, options: EmbedOptions): Float32Array {
  const n = distances.n;
  if (n <= options.nNeighbors) {
    throw new Error(`UMAP needs more points (${n}) than nNeighbors (${options.nNeighbors}); lower nNeighbors or add items`);
  }
  const umap = createUmap(options);
  const knn = exactKnn(distances, options.nNeighbors);
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  // With precomputed neighbours umap-js reads only the number of rows of X, never its values.
  const total = umap.initializeFit(Array.from({ length: n }, () => []));
  for (let epoch = 0; epoch < total; epoch++) {
    umap.step();
    if (options.onEpoch !== undefined && ((epoch + 1) % 25 === 0 || epoch + 1 === total)) options.onEpoch(epoch + 1, total);
  }

  const coordinates = umap.getEmbedding();
  const out = new Float32Array(n * options.nComponents);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < options.nComponents; c++) out[i * options.nComponents + c] = coordinates[i][c];
  }
  return out;
}

export function createUmap(options: EmbedOptions): UMAP {
  return new UMAP({
    nComponents: options.nComponents,
    nNeighbors: options.nNeighbors,
    minDist: options.minDist,
    nEpochs: options.nEpochs,
    random: mulberry32(options.seed),
  });
}

/** Each point's k nearest points, itself first at distance 0, in the nested arrays umap-js takes. */
export function exactKnn(distances: DistanceMatrix, k: number): { indices: number[][]; distances: number[][] } {
  const all = range(0, distances.n);
  const others = nearestNeighbours(distances, all, all, k - 1, { excludeSelf: true });
  const indices: number[][] = [];
  const lengths: number[][] = [];
  for (let i = 0; i < distances.n; i++) {
    const start = i * others.k;
    indices.push([i, ...others.indices.subarray(start, start + others.k)]);
    lengths.push([0, ...others.distances.subarray(start, start + others.k)]);
  }
  return { indices, distances: lengths };
}
