import { batchNormBackward, batchNormForward } from '../../engine/compute/kernels/batch-norm/math';
import { channelGradSums, channelSums } from '../../engine/compute/kernels/batch-norm/channel-sums';
import { Rng } from '../../nodes/nn/training/rng';

// 7 channels (a block of four and three left over) over 1300 rows: two whole tiles of 585 rows and a partial one.
const CHANNELS = 7;
const ROWS = 1300;

function data(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: CHANNELS * ROWS }, () => rng.uniform(-2, 3));
}

describe('batch norm loops, channel by channel in tiles', () => {
  const x = data(1);
  const dy = data(2);
  const mean = Float32Array.from({ length: CHANNELS }, (_, c) => 0.1 * c);
  const invStd = Float32Array.from({ length: CHANNELS }, (_, c) => 1 + 0.2 * c);

  it.each([
    ['x', -Infinity],
    ['ReLU(x)', 0],
  ])('sum %s and its squares per channel as a float64 loop in row order does', (_, floor) => {
    const sum = new Float64Array(CHANNELS);
    const squares = new Float64Array(CHANNELS);
    channelSums(x, CHANNELS, floor, sum, squares);
    const grads = [new Float64Array(CHANNELS), new Float64Array(CHANNELS)];
    channelGradSums(dy, x, CHANNELS, floor, mean, invStd, grads[0], grads[1]);
    for (let c = 0; c < CHANNELS; c++) {
      let [s, q, g, t] = [0, 0, 0, 0];
      for (let row = 0; row < ROWS; row++) {
        const v = Math.max(x[row * CHANNELS + c], floor);
        const d = dy[row * CHANNELS + c];
        [s, q, g, t] = [s + v, q + v * v, g + d, t + d * (v - mean[c]) * invStd[c]];
      }
      // Tiles change where partial sums meet, so equal to float64 rounding, not bit for bit.
      expect(sum[c]).toBeCloseTo(s, 9);
      expect(squares[c]).toBeCloseTo(q, 9);
      expect(grads[0][c]).toBeCloseTo(g, 9);
      expect(grads[1][c]).toBeCloseTo(t, 9);
    }
  });

  it('normalise and back-propagate every value, leftover channels and the partial tile included', () => {
    const gamma = Float32Array.from({ length: CHANNELS }, (_, c) => 0.5 + c);
    const beta = Float32Array.from({ length: CHANNELS }, (_, c) => c - 3);
    const y = new Float32Array(x.length);
    const [m, k] = [new Float32Array(CHANNELS), new Float32Array(CHANNELS)];
    batchNormForward(x, gamma, beta, 1e-5, y, m, k, true);
    const dx = new Float32Array(x.length);
    const [dGamma, dBeta] = [new Float32Array(CHANNELS), new Float32Array(CHANNELS)];
    batchNormBackward(dy, x, gamma, m, k, dx, dGamma, dBeta, true);
    for (const i of [0, 3, 4, 6, 585 * CHANNELS - 1, 585 * CHANNELS + 5, x.length - 1, x.length - 4]) {
      const c = i % CHANNELS;
      const v = Math.max(x[i], 0);
      expect(y[i]).toBeCloseTo((v - m[c]) * k[c] * gamma[c] + beta[c], 4);
      const expected = x[i] <= 0 ? 0 : gamma[c] * k[c] * (dy[i] - dBeta[c] / ROWS - (v - m[c]) * k[c] * (dGamma[c] / ROWS));
      expect(dx[i]).toBeCloseTo(expected, 4);
    }
  });
});
