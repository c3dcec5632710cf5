/**
 * One Adam step over all of a model's weights, as float32 arithmetic: every product, sum, quotient
 * and square root rounded to float32 (Math.fround), in the order of the tfjs ops it replaces
 * (op.ts's composition), so its results are those ops' results bit for bit; only the ~670 kernel
 * calls (for ENet: concat, a dozen ops over the flat moments, a split, then a reshape and a
 * subtraction per weight) go.
 */
export interface AdamConstants {
  /** β1, 1 − β1, β2, 1 − β2 as the float32 scalars the ops multiply by. */
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** lr / (1 − β1^t) and 1 − β2^t, as float32 scalars. */
  stepSize: number;
  biasCorrection2: number;
  epsilon: number;
}

const f = Math.fround;

/**
 * Writes the new moments and each weight's new values; `offset` walks the flat moments across the
 * weights in order, as the composition's concat and split do.
 */
export function adamStep(
  c: AdamConstants,
  m: Float32Array,
  v: Float32Array,
  grads: Float32Array[],
  weights: Float32Array[],
  mOut: Float32Array,
  vOut: Float32Array,
  weightsOut: Float32Array[],
): void {
  let offset = 0;
  for (let k = 0; k < weights.length; k++) {
    const g = grads[k];
    const w = weights[k];
    const out = weightsOut[k];
    for (let i = 0; i < w.length; i++, offset++) {
      const gi = g[i];
      const mi = f(f(m[offset] * c.beta1) + f(gi * c.oneMinusBeta1));
      const vi = f(f(v[offset] * c.beta2) + f(f(gi * gi) * c.oneMinusBeta2));
      mOut[offset] = mi;
      vOut[offset] = vi;
      const denominator = f(f(Math.sqrt(f(vi / c.biasCorrection2))) + c.epsilon);
      out[i] = f(w[i] - f(f(mi * c.stepSize) / denominator));
    }
  }
}
