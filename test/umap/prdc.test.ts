import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeNpy } from '../../nodes/data/npy';
import { stackRows } from '../../nodes/umap/distances';
import { gapMetricsOf } from '../../nodes/umap/prdc';
import { pythonReferences } from '../rig/references/python-references';
import { gaussianCloud } from './clouds';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

const K = 5;

describe('gap metrics on point clouds with known answers', () => {
  test('a set against itself scores 1 on all four', () => {
    // Every artificial point coincides with a real one (distance 0, inside its ball) and vice versa.
    // Density: real i's ball (radius = its k-th neighbour distance, strict <) holds exactly itself and
    // its k−1 nearest others, so the balls hold k points each: n·k / (k·n) = 1 (no ties in a Gaussian).
    const cloud = gaussianCloud(200, 8, 1);
    const m = gapMetricsOf(cloud, cloud, K);
    expect(m).toEqual({ precision: 1, recall: 1, density: 1, coverage: 1, k: K, nReal: 200, nArtificial: 200 });
  });

  test('sets far apart score 0 on all four', () => {
    // Every cross distance (≈ 1000·√8) dwarfs every k-NN radius (a few units).
    const m = gapMetricsOf(gaussianCloud(150, 8, 1), gaussianCloud(120, 8, 2, 1000), K);
    expect([m.precision, m.recall, m.density, m.coverage]).toEqual([0, 0, 0, 0]);
  });

  test('copies of one half of the real set: precision 1, recall and coverage 1/2, density 1', () => {
    // Real = two clusters A and B, 1000 apart; artificial = an exact copy of A. Each artificial point
    // sits on a real one (precision 1). A's real points are recalled and covered (distance 0), B's
    // are not (their nearest artificial point is ~2800 away, every radius a few units): 1/2 each.
    // Density counts only A's balls, which hold k points each as in the identical-sets case: 1.
    const a = gaussianCloud(100, 8, 3);
    const b = gaussianCloud(100, 8, 4, 1000);
    const m = gapMetricsOf(stackRows([a, b]), a, K);
    expect([m.precision, m.recall, m.density, m.coverage]).toEqual([1, 0.5, 1, 0.5]);
  });

  test('refuses a set with no more points than k', () => {
    expect(() => gapMetricsOf(gaussianCloud(10, 2, 1), gaussianCloud(5, 2, 2), K)).toThrow('the artificial set has 5 points; k = 5 needs at least 6');
  });
});

describe('gap metrics against an independent numpy/scipy computation', () => {
  test('random clouds that partly overlap', async () => {
    const real = gaussianCloud(90, 6, 11);
    const artificial = gaussianCloud(70, 6, 12, 0.8);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-prdc-'));
    await writeNpy(path.join(dir, 'real.npy'), real.data, [real.rows, real.cols]);
    await writeNpy(path.join(dir, 'fake.npy'), artificial.data, [artificial.rows, artificial.cols]);
    // Written from the definitions (Naeem et al. 2020, §3; radii = k-th neighbour in the own set, self excluded).
    const code = `
import json, sys
import numpy as np
from scipy.spatial.distance import cdist
real = np.load(sys.argv[1]).astype(np.float64)
fake = np.load(sys.argv[2]).astype(np.float64)
k = int(sys.argv[3])
def radii(x):
    d = np.sort(cdist(x, x), axis=1)
    return d[:, k]  # column 0 is the point itself
r_real, r_fake = radii(real), radii(fake)
d = cdist(real, fake)  # [real, fake]
inside_real_ball = d < r_real[:, None]
print(json.dumps({
  'precision': float(inside_real_ball.any(axis=0).mean()),
  'recall': float((d < r_fake[None, :]).any(axis=1).mean()),
  'density': float(inside_real_ball.sum(axis=0).mean() / k),
  'coverage': float((d.min(axis=1) < r_real).mean()),
}))
`;
    for (const k of [3, 5]) {
      const expected = JSON.parse(references.run(code, [{ input: path.join(dir, 'real.npy') }, { input: path.join(dir, 'fake.npy') }, String(k)])) as Record<
        string,
        number
      >;
      const m = gapMetricsOf(real, artificial, k);
      expect(m.precision).toBeCloseTo(expected.precision, 12);
      expect(m.recall).toBeCloseTo(expected.recall, 12);
      expect(m.density).toBeCloseTo(expected.density, 12);
      expect(m.coverage).toBeCloseTo(expected.coverage, 12);
      // A partial overlap: the metrics sit strictly between the extremes, so the comparison means something.
      expect(m.precision).toBeGreaterThan(0);
      expect(m.coverage).toBeLessThan(1);
    }
    await fs.rm(dir, { recursive: true, force: true });
  });
});
