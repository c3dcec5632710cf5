/**
 * Batch normalisation over all axes but the last (NHWC), in two passes over memory each way, with
 * float64 per-channel sums. As JavaScript loops this beats the chain of a dozen tfjs kernels
 * (moments, broadcast subtract and multiply, and a backward pass that tiles and reduces) by an
 * order of magnitude on wasm, and keeps nothing alive for the backward pass but x and two
 * per-channel vectors. With `relu`, the input is ReLU(x), computed on the fly: a conv → ReLU → BN
 * block (vital's U-Net order) then keeps one tensor per layer instead of two.
 */
export function batchNormForward(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  epsilon: number,
  y: Float32Array,
  mean: Float32Array,
  invStd: Float32Array,
  relu = false,
): void {
  const channels = gamma.length;
  const count = x.length / channels;
  const sum = new Float64Array(channels);
  const sumSquares = new Float64Array(channels);
  const floor = relu ? 0 : -Infinity;
  for (let i = 0; i < x.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = Math.max(x[i + c], floor);
      sum[c] += v;
      sumSquares[c] += v * v;
    }
  }
  const scale = new Float64Array(channels);
  const shift = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const m = sum[c] / count;
    const variance = Math.max(sumSquares[c] / count - m * m, 0);
    const inv = 1 / Math.sqrt(variance + epsilon);
    mean[c] = m;
    invStd[c] = inv;
    scale[c] = inv * gamma[c];
    shift[c] = beta[c] - m * scale[c];
  }
  for (let i = 0; i < x.length; i += channels) {
    for (let c = 0; c < channels; c++) y[i + c] = Math.max(x[i + c], floor) * scale[c] + shift[c];
  }
}

/**
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·σ⁻¹·(dy − dβ/n − x̂·dγ/n), with x̂ = (x − μ)·σ⁻¹ recomputed
 * rather than stored; with `relu`, x is ReLU(x) and dx is zero where x ≤ 0.
 */
export function batchNormBackward(
  dy: Float32Array,
  x: Float32Array,
  gamma: Float32Array,
  mean: Float32Array,
  invStd: Float32Array,
  dx: Float32Array,
  dGamma: Float32Array,
  dBeta: Float32Array,
  relu = false,
): void {
  const channels = gamma.length;
  const count = x.length / channels;
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  const floor = relu ? 0 : -Infinity;
  for (let i = 0; i < x.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const g = dy[i + c];
      sumDy[c] += g;
      sumDyXhat[c] += g * (Math.max(x[i + c], floor) - mean[c]) * invStd[c];
    }
  }
  const scale = new Float64Array(channels);
  const meanDy = new Float64Array(channels);
  const meanDyXhat = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    dBeta[c] = sumDy[c];
    dGamma[c] = sumDyXhat[c];
    scale[c] = gamma[c] * invStd[c];
    meanDy[c] = sumDy[c] / count;
    meanDyXhat[c] = sumDyXhat[c] / count;
  }
  for (let i = 0; i < x.length; i += channels) {
    for (let c = 0; c < channels; c++) {
      const v = x[i + c];
      if (v <= floor) {
        dx[i + c] = 0;
        continue;
      }
      const xhat = (v - mean[c]) * invStd[c];
      dx[i + c] = scale[c] * (dy[i + c] - meanDy[c] - xhat * meanDyXhat[c]);
    }
  }
}
