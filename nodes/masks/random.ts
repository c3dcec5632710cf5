/**
 * A small seeded generator (mulberry32) with Gaussian draws, so that the same seed gives the same poses
 * on every machine. nodes/data/random.ts may later provide the project-wide one; this keeps the masks
 * code independent of it until then.
 */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Integer in [0, n). */
  integer(n: number): number;
  /** Standard normal. */
  normal(): number;
}

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    integer: (n) => Math.floor(uniform() * n),
    // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
    normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()),
  };
}
