import { distanceAt, matrix, pairwiseDistances, stackRows } from '../../nodes/umap/distances';
import { gaussianCloud } from './clouds';

function naive(a: Float32Array, i: number, j: number, cols: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += (a[i * cols + c] - a[j * cols + c]) ** 2;
  return Math.sqrt(sum);
}

describe('pairwiseDistances', () => {
  // 11 rows exercise the 4-row blocks, the leftover rows and the leftover column of each block.
  test.each([1, 2, 5, 11])('matches the definition for %i points', (n) => {
    const m = gaussianCloud(n, 13, n);
    const d = pairwiseDistances(m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) expect(distanceAt(d, i, j)).toBeCloseTo(naive(m.data, i, j, 13), 4);
    }
  });

  test('identical rows are exactly 0 apart and the matrix is symmetric', () => {
    const base = gaussianCloud(3, 50, 7);
    const m = stackRows([base, base, base]);
    const d = pairwiseDistances(m);
    for (let i = 0; i < 3; i++) {
      expect(distanceAt(d, i, i + 3)).toBe(0);
      expect(distanceAt(d, i, i + 6)).toBe(0);
    }
    for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) expect(distanceAt(d, i, j)).toBe(distanceAt(d, j, i));
  });

  test('stackRows refuses matrices of different widths', () => {
    expect(() => stackRows([matrix(new Float32Array(4), 2, 2), matrix(new Float32Array(3), 1, 3)])).toThrow('3 columns where 2 were expected');
  });
});
