/**
 * Benchmark (not a test): UMAP of 2,000 × 4,096 features as the umap node runs it, phase by phase.
 *
 *   npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/umap.js [options]
 *
 * --knn exact       (default) brute-force distances, exact k-NN handed to umap-js, gap metrics and
 *                   trustworthiness from the same matrix: what the node does.
 * --knn nndescent   umap-js's own random-projection forest + NN-descent on number[][] instead.
 * --points N (2000) --dims D (4096) --epochs E (umap-js's rule: 500 up to 2,500 points)
 */
import type { UMAP } from 'umap-js';
import { mulberry32, normal } from '../../nodes/data/random';
import { matrix, pairwiseDistances, type Matrix } from '../../nodes/umap/distances';
import { createUmap, exactKnn, type EmbedOptions } from '../../nodes/umap/embed';
import { range } from '../../nodes/umap/knn';
import { gapMetrics } from '../../nodes/umap/prdc';
import { trustworthiness } from '../../nodes/umap/trustworthiness';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at < 0 ? fallback : process.argv[at + 1];
}

/** Two halves drawn from 12 Gaussian blobs, the second half from only 8: real vs under-covering artificial. */
function blobs(points: number, dims: number, seed: number): Matrix {
  const random = mulberry32(seed);
  const centres = Array.from({ length: 12 }, () => Float32Array.from({ length: dims }, () => normal(random)));
  const data = new Float32Array(points * dims);
  for (let i = 0; i < points; i++) {
    const blob = i >= points / 2 ? i % 8 : i % 12;
    for (let c = 0; c < dims; c++) data[i * dims + c] = centres[blob][c] + 0.5 * normal(random);
  }
  return matrix(data, points, dims);
}

function time<T>(label: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  console.log(`${label.padEnd(48)} ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
}

function optimise(umap: UMAP, total: number): void {
  time(`umap-js ${total} optimisation epochs`, () => {
    for (let e = 0; e < total; e++) umap.step();
  });
}

function main(): void {
  const points = Number(option('points', '2000'));
  const dims = Number(option('dims', '4096'));
  const epochs = process.argv.includes('--epochs') ? Number(option('epochs', '500')) : undefined;
  const knn = option('knn', 'exact');
  const options: EmbedOptions = { nComponents: 3, nNeighbors: 15, minDist: 0.1, seed: 1, nEpochs: epochs };
  const features = time(`generate ${points} × ${dims} features`, () => blobs(points, dims, 1));
  const umap = createUmap(options);

  if (knn === 'nndescent') {
    const rows: number[][] = [];
    for (let i = 0; i < points; i++) rows.push(Array.from(features.data.subarray(i * dims, (i + 1) * dims)));
    const total = time('umap-js initializeFit: RP forest + NN-descent', () => umap.initializeFit(rows));
    optimise(umap, total);
    return;
  }

  const distances = time('exact pairwise distances (brute force)', () => pairwiseDistances(features));
  const half = points / 2;
  const gap = time('precision/recall/density/coverage (k=5)', () => gapMetrics(distances, range(0, half), range(half, points), 5));
  console.log(`   ${JSON.stringify(gap)}`);
  const neighbours = time('exact 15-NN read off the distance matrix', () => exactKnn(distances, options.nNeighbors));
  umap.setPrecomputedKNN(neighbours.indices, neighbours.distances);
  const total = time('umap-js initializeFit: fuzzy graph + random init', () => umap.initializeFit(Array.from({ length: points }, () => [])));
  optimise(umap, total);
  const coordinates = Float32Array.from(umap.getEmbedding().flat());
  const value = time('trustworthiness (k=5)', () => trustworthiness(distances, pairwiseDistances(matrix(coordinates, points, 3)), 5));
  console.log(`   trustworthiness ${value.toFixed(4)}`);
}

main();
