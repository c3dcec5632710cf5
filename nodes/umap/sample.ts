import type { RandomSource as Random } from '../data/random';

/**
 * Up to `max` distinct indices of 0…n−1, drawn uniformly without replacement (partial Fisher–Yates),
 * returned in increasing order so that outputs keep the dataset's own order. All of them when n ≤ max.
 */
export function sampleIndices(n: number, max: number, random: Random): number[] {
  const pool = Array.from({ length: n }, (_, i) => i);
  if (n <= max) return pool;
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, max).sort((a, b) => a - b);
}
