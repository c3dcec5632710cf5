/**
 * Per-channel float64 sums over an NHWC array (channels innermost), the reductions of batch norm's
 * two passes. Summing four channels at a time down a tile of rows keeps each sum in a register,
 * where a row-by-row loop over `sum[c] += v` loads and stores it for every value (2.5× slower in V8
 * for 16–128 channels); tiles of about 16 KB keep the strided reads in L1 for large tensors. Each
 * channel is still summed in row order within a tile, tiles in order.
 */
const TILE_FLOATS = 4096;

/** Calls `visit(start, end)` for consecutive tiles of whole rows (each of `channels` values). */
export function tiles(length: number, channels: number, visit: (start: number, end: number) => void): void {
  const rows = length / channels;
  const tileRows = Math.max(1, Math.floor(TILE_FLOATS / channels));
  for (let row = 0; row < rows; row += tileRows) visit(row * channels, Math.min(rows, row + tileRows) * channels);
}

/** sum[c] = Σ v, squares[c] = Σ v² with v = max(x, floor) (floor −∞: x itself; 0: ReLU(x)). */
// biome-ignore format: one line per quantity over the block of four channels
export function channelSums(x: Float32Array, channels: number, floor: number, sum: Float64Array, squares: Float64Array): void {
  sum.fill(0);
  squares.fill(0);
  tiles(x.length, channels, (start, end) => {
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
      for (let i = start + c; i < end; i += channels) {
        const a = Math.max(x[i], floor), b = Math.max(x[i + 1], floor), d = Math.max(x[i + 2], floor), e = Math.max(x[i + 3], floor);
        s0 += a; s1 += b; s2 += d; s3 += e;
        q0 += a * a; q1 += b * b; q2 += d * d; q3 += e * e;
      }
      sum[c] += s0; sum[c + 1] += s1; sum[c + 2] += s2; sum[c + 3] += s3;
      squares[c] += q0; squares[c + 1] += q1; squares[c + 2] += q2; squares[c + 3] += q3;
    }
    for (; c < channels; c++) {
      let s = 0, q = 0;
      for (let i = start + c; i < end; i += channels) {
        const a = Math.max(x[i], floor);
        s += a;
        q += a * a;
      }
      sum[c] += s;
      squares[c] += q;
    }
  });
}

/** sumDy[c] = Σ dy, sumDyXhat[c] = Σ dy·(v − mean[c])·invStd[c] with v = max(x, floor). */
// biome-ignore format: one line per quantity over the block of four channels
export function channelGradSums(dy: Float32Array, x: Float32Array, channels: number, floor: number, mean: Float32Array, invStd: Float32Array, sumDy: Float64Array, sumDyXhat: Float64Array): void {
  sumDy.fill(0);
  sumDyXhat.fill(0);
  tiles(x.length, channels, (start, end) => {
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const m0 = mean[c], m1 = mean[c + 1], m2 = mean[c + 2], m3 = mean[c + 3];
      const k0 = invStd[c], k1 = invStd[c + 1], k2 = invStd[c + 2], k3 = invStd[c + 3];
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let i = start + c; i < end; i += channels) {
        const g0 = dy[i], g1 = dy[i + 1], g2 = dy[i + 2], g3 = dy[i + 3];
        s0 += g0; s1 += g1; s2 += g2; s3 += g3;
        t0 += g0 * (Math.max(x[i], floor) - m0) * k0;
        t1 += g1 * (Math.max(x[i + 1], floor) - m1) * k1;
        t2 += g2 * (Math.max(x[i + 2], floor) - m2) * k2;
        t3 += g3 * (Math.max(x[i + 3], floor) - m3) * k3;
      }
      sumDy[c] += s0; sumDy[c + 1] += s1; sumDy[c + 2] += s2; sumDy[c + 3] += s3;
      sumDyXhat[c] += t0; sumDyXhat[c + 1] += t1; sumDyXhat[c + 2] += t2; sumDyXhat[c + 3] += t3;
    }
    for (; c < channels; c++) {
      const m = mean[c], k = invStd[c];
      let s = 0, t = 0;
      for (let i = start + c; i < end; i += channels) {
        const g = dy[i];
        s += g;
        t += g * (Math.max(x[i], floor) - m) * k;
      }
      sumDy[c] += s;
      sumDyXhat[c] += t;
    }
  });
}
