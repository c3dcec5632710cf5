/**
 * The gradient of PReLU, y = x > 0 ? x : α·x with one slope per channel (the last axis) or one for
 * all, in one pass where tfjs's gradient takes seven kernels (greater, two where, two multiplies,
 * zerosLike, a sum): dx = x > 0 ? dy : α·dy, dα = Σ_{x ≤ 0} dy·x. The slopes' sums are float64.
 */
export function preluBackward(dy: Float32Array, x: Float32Array, alpha: Float32Array, dx: Float32Array, dAlpha: Float32Array): void {
  const channels = alpha.length;
  const sums = new Float64Array(channels);
  if (channels === 1) {
    const a = alpha[0];
    let sum = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const g = dy[i];
      if (v > 0) dx[i] = g;
      else {
        dx[i] = a * g;
        sum += g * v;
      }
    }
    dAlpha[0] = sum;
    return;
  }
  for (let i = 0; i < x.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = x[i + c];
      const g = dy[i + c];
      if (v > 0) dx[i + c] = g;
      else {
        dx[i + c] = alpha[c] * g;
        sums[c] += g * v;
      }
    }
  }
  for (let c = 0; c < channels; c++) dAlpha[c] = sums[c];
}
