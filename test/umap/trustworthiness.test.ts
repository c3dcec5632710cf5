import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeNpy } from '../../nodes/data/npy';
import { mulberry32, normal } from '../../nodes/data/random';
import { matrix, pairwiseDistances, type Matrix } from '../../nodes/umap/distances';
import { trustworthiness } from '../../nodes/umap/trustworthiness';
import { pythonReferences } from '../rig/references/python-references';
import { gaussianCloud } from './clouds';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

/** Places 3-D points in 10-D on axes 2, 5 and 7 (one flipped) and shifts them: an isometry. */
function liftTo10d(points: Matrix): Matrix {
  const out = new Float32Array(points.rows * 10).fill(3);
  for (let i = 0; i < points.rows; i++) {
    out[i * 10 + 2] = 3 + points.data[i * 3];
    out[i * 10 + 5] = 3 - points.data[i * 3 + 1];
    out[i * 10 + 7] = 3 + points.data[i * 3 + 2];
  }
  return matrix(out, points.rows, 10);
}

describe('trustworthiness', () => {
  const low = gaussianCloud(80, 3, 5);
  const high = pairwiseDistances(liftTo10d(low));

  test('is 1 for an embedding that is an isometry of the data', () => {
    expect(trustworthiness(high, pairwiseDistances(low), 5)).toBeCloseTo(1, 12);
  });

  test('drops for an embedding whose points are shuffled', () => {
    const order = Array.from({ length: 80 }, (_, i) => i);
    const random = mulberry32(9);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const shuffled = matrix(Float32Array.from(order.flatMap((i) => Array.from(low.data.subarray(i * 3, i * 3 + 3)))), 80, 3);
    expect(trustworthiness(high, pairwiseDistances(shuffled), 5)).toBeLessThan(0.7);
  });

  test('refuses k of n/2 or more', () => {
    expect(() => trustworthiness(high, pairwiseDistances(low), 40)).toThrow('k = 40 must be a positive integer below n/2 = 40');
  });

  test('agrees with an independent numpy/scipy computation (sklearn definition)', async () => {
    const data = gaussianCloud(60, 8, 21);
    const random = mulberry32(22);
    // A lossy embedding: the first two coordinates plus noise, so T lies strictly between 0.5 and 1.
    const embedded = matrix(
      Float32Array.from({ length: 120 }, (_, t) => data.data[Math.floor(t / 2) * 8 + (t % 2)] + 0.3 * normal(random)),
      60,
      2,
    );
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-trust-'));
    await writeNpy(path.join(dir, 'x.npy'), data.data, [60, 8]);
    await writeNpy(path.join(dir, 'e.npy'), embedded.data, [60, 2]);
    // Ranks by argsort and an inverted index, as sklearn.manifold.trustworthiness does.
    const code = `
import sys
import numpy as np
from scipy.spatial.distance import cdist
x = np.load(sys.argv[1]).astype(np.float64)
e = np.load(sys.argv[2]).astype(np.float64)
k = int(sys.argv[3])
n = len(x)
dx = cdist(x, x); np.fill_diagonal(dx, np.inf)
de = cdist(e, e); np.fill_diagonal(de, np.inf)
rank = np.empty((n, n), dtype=int)
for i in range(n):
    rank[i, np.argsort(dx[i])] = np.arange(1, n + 1)
nbrs = np.argsort(de, axis=1)[:, :k]
penalty = sum(max(0, rank[i, j] - k) for i in range(n) for j in nbrs[i])
print(repr(1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty))
`;
    const dx = pairwiseDistances(data);
    const de = pairwiseDistances(embedded);
    for (const k of [3, 7]) {
      const expected = Number(references.run(code, [{ input: path.join(dir, 'x.npy') }, { input: path.join(dir, 'e.npy') }, String(k)]));
      const value = trustworthiness(dx, de, k);
      expect(value).toBeCloseTo(expected, 12);
      expect(value).toBeGreaterThan(0.5);
      expect(value).toBeLessThan(1);
    }
    await fs.rm(dir, { recursive: true, force: true });
  });
});
