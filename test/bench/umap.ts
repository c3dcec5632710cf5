/**
 * Benchmark (not a test): UMAP of 2,000 × 4,096 features, as the umap node runs it, and umap-js's own
 * NN-descent for comparison. Prints where the time goes.
 *
 *   npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/umap.js
 *
 * Options: --points N (default 2000), --dims D (4096), --epochs E (umap-js's rule), --no-nndescent.
 */
import { UMAP } from 'umap-js';
import { mulberry32, normal } from '../../nodes/data/random';
import { matrix, pairwiseDistances, type Matrix } from '../../nodes/umap/distances';
import { createUmap, embed, exactKnn } from '../../nodes/umap/embed';
import { gapMetrics } from '../../nodes/umap/prdc';
import { range } from '../../nodes/umap/knn';
import { trustworthiness } from '../../nodes/umap/trustworthiness';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : Number(process.argv[at + 1]);
}

/** Two "datasets" of 12 Gaussian blobs, the second missing 4 of them: the shape of real vs artificial. */
function blobs(points: number, dims: number, seed: number): Matrix {
  const random = mulberry32(seed);
  const centres = Array.from({ length: 12 }, () => Float32Array.from({ length: dims }, () => normal(random)));
  const data = new Float32Array(points * dims);
  for (let i = 0; i < points; i++) {
    const second = i >= points / 2;
    const blob = second ? i % 8 : i % 12;
    for (let c = 0; c < dims; c++) data[i * dims + c] = centres[blob][c] + 0.5 * normal(random);
  }
  return matrix(data, points, dims);
}

function time<T>(label: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  console.log(`${label.padEnd(44)} ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
}

function main(): void {
  const points = option('points', 2000);
  const dims = option('dims', 4096);
  const epochs = process.argv.includes('--epochs') ? option('epochs', 500) : undefined;
  const features = time(`generate ${points} × ${dims}`, () => blobs(points, dims, 1));
  const distances = time('exact pairwise distances (brute force)', () => pairwiseDistances(features));
  const half = points / 2;
  const gap = time('precision/recall/density/coverage (k=5)', () => gapMetrics(distances, range(0, half), range(half, points), 5));
  console.log('  ', JSON.stringify(gap));

  const options = { nComponents: 3, nNeighbors: 15, minDist: 0.1, seed: 1, nEpochs: epochs };
  const umap = createUmap(options);
  const knn = time('exact kNN read off the distance matrix', () => exactKnn(distances, options.nNeighbors));
  umap.setPrecomputedKNN(knn.indices, knn.distances);
  const total = time('umap-js initializeFit (fuzzy graph, init)', () => umap.initializeFit(Array.from({ length: points }, () => [])));
  time(`umap-js ${total} optimisation epochs`, () => {
    for (let e = 0; e < total; e++) umap.step();
  });
  const coordinates = time('embed() end to end (same work again)', () => embed(features, distances, options));

  const embedded = time('embedding distances + trustworthiness (k=5)', () =>
    trustworthiness(distances, pairwiseDistances(matrix(coordinates, points, 3)), 5),
  );
  console.log(`   trustworthiness ${embedded.toFixed(4)}`);

  if (!process.argv.includes('--no-nndescent')) {
    const rows: number[][] = [];
    for (let i = 0; i < points; i++) rows.push(Array.from(features.data.subarray(i * dims, (i + 1) * dims)));
    const umap = new UMAP({ nComponents: 3, nNeighbors: 15, minDist: 0.1, random: mulberry32(1), nEpochs: epochs });
    const total = time("umap-js initializeFit with its NN-descent", () => umap.initializeFit(rows));
    time(`umap-js ${total} epochs`, () => {
      for (let e = 0; e < total; e++) umap.step();
    });
  }
}

main();
