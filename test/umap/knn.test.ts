import { pairwiseDistances } from '../../nodes/umap/distances';
import { kthNeighbourDistances, nearestNeighbours, range } from '../../nodes/umap/knn';
import { gaussianCloud } from './clouds';

describe('nearestNeighbours', () => {
  const d = pairwiseDistances(gaussianCloud(40, 6, 3));

  test('agrees with sorting every candidate', () => {
    const queries = range(0, 40);
    const candidates = range(10, 40);
    const { indices, distances } = nearestNeighbours(d, queries, candidates, 4, { excludeSelf: true });
    for (const q of queries) {
      const sorted = [...candidates].filter((c) => c !== q).sort((a, b) => d.data[q * 40 + a] - d.data[q * 40 + b]);
      expect(Array.from(indices.subarray(q * 4, q * 4 + 4))).toEqual(sorted.slice(0, 4));
      expect(Array.from(distances.subarray(q * 4, q * 4 + 4))).toEqual(sorted.slice(0, 4).map((c) => d.data[q * 40 + c]));
    }
  });

  test('keeps a query among its own candidates unless told to exclude it', () => {
    const all = range(0, 40);
    expect(nearestNeighbours(d, all, all, 1, { excludeSelf: false }).indices).toEqual(all);
    const others = nearestNeighbours(d, all, all, 1, { excludeSelf: true }).indices;
    expect(Array.from(others).every((j, i) => j !== i)).toBe(true);
  });

  test('radius is the distance to the k-th nearest other point', () => {
    const set = range(0, 40);
    const radii = kthNeighbourDistances(d, set, 3);
    for (const i of set) {
      const others = Array.from(set)
        .filter((j) => j !== i)
        .map((j) => d.data[i * 40 + j])
        .sort((a, b) => a - b);
      expect(radii[i]).toBe(others[2]);
    }
  });

  test('refuses k larger than the candidates', () => {
    expect(() => nearestNeighbours(d, range(0, 3), range(0, 3), 3, { excludeSelf: true })).toThrow('k = 3 needs between 1 and 2 candidates');
  });
});
