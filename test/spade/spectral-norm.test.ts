import * as tf from '@tensorflow/tfjs-core';
import { SpadeConv } from '../../nodes/spade/spade-conv';
import { SpectralNorm } from '../../nodes/spade/spectral-norm';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from '../models/backend';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

beforeAll(() => useBackend('cpu'));

/** Singular values (largest first) of a [kh, kw, in, out] kernel seen as a (kh·kw·in) × out matrix, by numpy. */
function singularValues(kernel: tf.Tensor4D): number[] {
  const [kh, kw, cin, cout] = kernel.shape;
  const code = [
    'import json, sys, numpy as np',
    'm = np.array(json.loads(sys.argv[1]), dtype=np.float64).reshape(int(sys.argv[2]), int(sys.argv[3]))',
    'print(json.dumps(np.linalg.svd(m, compute_uv=False).tolist()))',
  ].join('\n');
  return JSON.parse(references.run(code, [JSON.stringify(Array.from(kernel.dataSync())), String(kh * kw * cin), String(cout)])) as number[];
}

describe('spectral norm', () => {
  const shape: [number, number, number, number] = [3, 3, 16, 24];

  it('divides the kernel by its largest singular value once the power iteration has converged', () => {
    const kernel = tf.randomUniform(shape, -1, 1, 'float32', 5) as tf.Tensor4D;
    const sn = new SpectralNorm({ rows: 3 * 3 * 16, cols: 24 }, new Rng(1));
    for (let i = 0; i < 50; i++) tf.dispose(sn.normalise(kernel, true));
    const [sigmaMax] = singularValues(kernel);
    const estimate = sn.sigma(kernel).dataSync()[0];
    expect(Math.abs(estimate / sigmaMax - 1)).toBeLessThan(1e-2);
    const normalised = sn.normalise(kernel, false);
    const [top] = singularValues(normalised);
    expect(Math.abs(top - 1)).toBeLessThan(1e-2);
    // Not trivially 1: the raw kernel's norm is far from it.
    expect(sigmaMax).toBeGreaterThan(5);
  });

  it('refines u and v only in training passes, keeping them as non-trainable weights', () => {
    const kernel = tf.randomUniform(shape, -1, 1, 'float32', 6) as tf.Tensor4D;
    const sn = new SpectralNorm({ rows: 144, cols: 24 }, new Rng(2));
    expect(sn.weights().map((w) => [w.path, w.trainable])).toEqual([
      ['u', false],
      ['v', false],
    ]);
    const u0 = Array.from(sn.u.dataSync());
    tf.dispose(sn.normalise(kernel, false));
    expect(Array.from(sn.u.dataSync())).toEqual(u0);
    tf.dispose(sn.normalise(kernel, true));
    expect(Array.from(sn.u.dataSync())).not.toEqual(u0);
  });

  it('differentiates through σ(W) as well as W, holding u and v constant (the closed form)', () => {
    const conv = new SpadeConv({ inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1, spectralNorm: true }, new Rng(3));
    const x = tf.randomNormal([1, 4, 4, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
    const weights = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 8);
    const f = (kernel: tf.Tensor) =>
      tf.sum(
        tf.mul(
          tf.conv2d(
            tf.pad(x, [
              [0, 0],
              [1, 1],
              [1, 1],
              [0, 0],
            ]),
            kernel as tf.Tensor4D,
            1,
            'valid',
          ),
          weights,
        ),
      ) as tf.Scalar;
    // Evaluation mode: u and v stay fixed, so the loss is f(W / σ(W)) with σ = vᵀ M u.
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(conv.forward(x, { training: false }), weights)) as tf.Scalar, [conv.kernel]);
    const analytic = grads[conv.kernel.name].dataSync();

    // d/dW f(W/σ) = g/σ − (⟨g, W⟩/σ²)·v uᵀ, where g = ∇f at W/σ and M = W as a 18×3 matrix.
    const w = conv.kernel.dataSync();
    const u = conv
      .weights()
      .find((p) => p.path === 'sn/u')!
      .variable.dataSync();
    const v = conv
      .weights()
      .find((p) => p.path === 'sn/v')!
      .variable.dataSync();
    let sigma = 0;
    for (let r = 0; r < 18; r++) for (let c = 0; c < 3; c++) sigma += v[r] * w[r * 3 + c] * u[c];
    const g = tf.grad(f)(tf.div(conv.kernel, sigma)).dataSync();
    let gw = 0;
    for (let i = 0; i < w.length; i++) gw += g[i] * w[i];
    for (let r = 0; r < 18; r++)
      for (let c = 0; c < 3; c++) {
        const expected = g[r * 3 + c] / sigma - (gw / sigma ** 2) * v[r] * u[c];
        expect(analytic[r * 3 + c]).toBeCloseTo(expected, 4);
      }
    // The σ term matters: dropping it would be a visible error.
    expect(Math.abs(gw / sigma ** 2)).toBeGreaterThan(0.1);
  });
});
