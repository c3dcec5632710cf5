/**
 * A small seeded random source (mulberry32) with the draws data generators need. Same seed, same
 * numbers on every machine: nothing here touches Math.random, so a synthetic cohort or a shuffled
 * split is reproduced exactly from its seed.
 */

// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { PI, cos, floor, imul, log, max, min, sin, sqrt } = Math;

/** Mixes a seed and a label into a new 32-bit seed (FNV-1a over the label, then a murmur finaliser). */
export function deriveSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = imul(hash, 0x01000193) >>> 0;
  }
  hash ^= hash >>> 16;
  hash = imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export class Random {
  private state: number;
  /** Second value of the last Box–Muller pair, used by the next normal draw. */
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream for a named purpose, so adding draws in one place never shifts another. */
  fork(label: string): Random {
    return new Random(deriveSeed(this.state, label));
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return floor(this.next() * n);
  }

  /** Standard normal scaled to (mean, sd), by Box–Muller. */
  normal(mean = 0, sd = 1): number {
    if (this.spare !== undefined) {
      const value = this.spare;
      this.spare = undefined;
      return mean + sd * value;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const radius = sqrt(-2 * log(u));
    const angle = 2 * PI * this.next();
    this.spare = radius * sin(angle);
    return mean + sd * radius * cos(angle);
  }

  /** Normal draw clamped to [low, high]: bounded anatomy without the bias of redrawing. */
  clampedNormal(mean: number, sd: number, low: number, high: number): number {
    return min(high, max(low, this.normal(mean, sd)));
  }

  /** Rayleigh with scale sigma (the envelope of complex Gaussian noise: ultrasound speckle). */
  rayleigh(sigma = 1): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return sigma * sqrt(-2 * log(u));
  }

  /** Picks one entry with the given weights (need not sum to 1). */
  weighted<T>(choices: readonly T[], weights: readonly number[]): T {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < choices.length; i++) {
      r -= weights[i];
      if (r < 0) return choices[i];
    }
    return choices[choices.length - 1];
  }

  /** Fisher–Yates shuffle of a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  /** Fills an array with standard normal draws. */
  fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }

  /**
   * Fills an array with zero-mean, unit-variance uniform draws: a third of the cost of normals, for
   * white noise that is smoothed afterwards (the sum of a few neighbours is already close to Gaussian).
   */
  fillUniformNoise(out: Float32Array): Float32Array {
    const half = sqrt(3);
    for (let i = 0; i < out.length; i++) out[i] = half * (2 * this.next() - 1);
    return out;
  }
}

/** A bare uniform source in [0, 1), for libraries that take a function (umap-js). */
export type RandomSource = () => number;

/** The same mulberry32 stream as `new Random(seed).next`, as a plain function. */
export function mulberry32(seed: number): RandomSource {
  const random = new Random(seed);
  return () => random.next();
}

/** An integer in [0, n) from a bare uniform source. */
export function randomInt(random: RandomSource, n: number): number {
  return floor(random() * n);
}

/** A standard normal draw (Box–Muller, no spare kept) from a bare uniform source. */
export function normal(random: RandomSource): number {
  // 1 - u keeps the logarithm's argument in (0, 1].
  const u = 1 - random();
  const v = random();
  return sqrt(-2 * log(u)) * cos(2 * PI * v);
}
