import seedrandom from 'seedrandom';

/**
 * A seeded random stream (Alea, the generator tfjs itself uses for seeded ops) whose state can be
 * saved and restored. Every random choice in training goes through one of these, so the same seed
 * gives the same numbers on the same backend.
 */
export class Rng {
  private readonly prng: seedrandom.prng;

  /** `seed` may be a number or a label; the same seed always starts the same stream. */
  constructor(seed: number | string, state?: RngState) {
    this.prng = seedrandom.alea(String(seed), { state: state ?? true });
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.prng();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng() * n);
  }

  /** A 31-bit seed for a tfjs random op (`tf.randomUniform(..., seed)`), drawn from this stream. */
  seed(): number {
    return (this.prng.int32() >>> 1) + 1;
  }

  /** A new independent stream, determined by this one's seed draw and the label. */
  fork(label: string): Rng {
    return new Rng(`${this.seed()}/${label}`);
  }

  /** Fisher–Yates permutation of 0..n-1. */
  permutation(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  state(): RngState {
    return this.prng.state() as RngState;
  }
}

/** Alea's internal state (three floats and a counter), plain JSON. */
export type RngState = Record<string, number>;

/** The stream for one purpose of one epoch: resuming at epoch e replays exactly what e would have drawn. */
export function epochRng(seed: number, epoch: number, purpose: string): Rng {
  return new Rng(`${seed}/epoch${epoch}/${purpose}`);
}
