import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '../../nodes/nn/layers/batch-norm';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from './backend';

/**
 * Batch norm over a full-size training batch (8 images of 128×128: 131,072 values per channel),
 * against the same formulas in float64. wasm's Mean and Sum kernels add in float32; through them
 * the U-Net's encoder gradients were 10–40 % off PyTorch's on real training batches.
 */
const [N, H, W, C] = [8, 128, 128, 2];

function draw(seed: number, offset: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: N * H * W * C }, () => offset + rng.uniform(-1, 1));
}

/** y = x̂ and dx = (dy − mean(dy) − x̂·mean(dy·x̂))/σ for γ = 1, β = 0, in float64. */
function reference(x: Float32Array, dy: Float32Array): { y: Float64Array; dx: Float64Array } {
  const count = N * H * W;
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  for (let c = 0; c < C; c++) {
    let mean = 0;
    for (let i = c; i < x.length; i += C) mean += x[i];
    mean /= count;
    let variance = 0;
    for (let i = c; i < x.length; i += C) variance += (x[i] - mean) ** 2;
    const invStd = 1 / Math.sqrt(variance / count + 1e-5);
    let meanDy = 0;
    let meanDyXhat = 0;
    for (let i = c; i < x.length; i += C) {
      y[i] = (x[i] - mean) * invStd;
      meanDy += dy[i] / count;
      meanDyXhat += (dy[i] * y[i]) / count;
    }
    for (let i = c; i < x.length; i += C) dx[i] = (dy[i] - meanDy - y[i] * meanDyXhat) * invStd;
  }
  return { y, dx };
}

function maxAbsDiff(actual: Float32Array, expected: Float64Array): number {
  return actual.reduce((worst, v, i) => Math.max(worst, Math.abs(v - expected[i])), 0);
}

describe.each(['cpu', 'wasm'] as const)('batch norm precision (%s)', (backend) => {
  beforeAll(() => useBackend(backend));

  it('normalises a 8×128×128 batch and back-propagates through it as float64 arithmetic does', () => {
    // Values far from zero and a gradient whose sum nearly cancels: where float32 sums fail.
    const xValues = draw(1, 100);
    const dyValues = draw(2, 0.001);
    const expected = reference(xValues, dyValues);
    const norm = new BatchNorm({ channels: C });
    const x = tf.tensor4d(xValues, [N, H, W, C]);
    const dy = tf.tensor4d(dyValues, [N, H, W, C]);
    const y = norm.forward(x, { training: true });
    const dx = tf.grad((input: tf.Tensor) => norm.forward(input, { training: true }))(x, dy);
    const dxScale = expected.dx.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(maxAbsDiff(y.dataSync() as Float32Array, expected.y)).toBeLessThan(1e-5);
    expect(maxAbsDiff(dx.dataSync() as Float32Array, expected.dx) / dxScale).toBeLessThan(1e-5);
    tf.dispose([x, dy, y, dx]);
    norm.dispose();
  });
});
