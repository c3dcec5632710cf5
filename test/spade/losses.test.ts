import * as tf from '@tensorflow/tfjs-core';
import type { DiscriminatorOutput } from '../../nodes/spade/discriminator';
import { featureMatching, hingeFake, hingeGenerator, hingeReal, klDivergence, splitBatch } from '../../nodes/spade/losses';
import { useBackend } from '../models/backend';

beforeAll(() => useBackend('cpu'));

/** A [1, 1, n, 1] map holding `values`. */
const map = (values: number[]) => tf.tensor4d(values, [1, 1, values.length, 1]);

/** Two scales, each with one feature map and a prediction. */
function output(features: number[][], predictions: number[][]): DiscriminatorOutput {
  return predictions.map((p, i) => [map(features[i]), map(p)]);
}

const value = (t: tf.Scalar) => t.dataSync()[0];

describe('SPADE losses on fixed tensors', () => {
  // Predictions: scale 0 [0.5, −2], scale 1 [−0.5, 3].
  const d = () =>
    output(
      [[0], [0]],
      [
        [0.5, -2],
        [-0.5, 3],
      ],
    );

  it('hinge loss of the discriminator on real inputs: mean over scales of mean(max(0, 1 − D))', () => {
    // scale 0: (0.5 + 3) / 2 = 1.75; scale 1: (1.5 + 0) / 2 = 0.75; mean 1.25
    expect(value(hingeReal(d()))).toBeCloseTo(1.25, 6);
  });

  it('hinge loss of the discriminator on generated inputs: mean over scales of mean(max(0, 1 + D))', () => {
    // scale 0: (1.5 + 0) / 2 = 0.75; scale 1: (0.5 + 4) / 2 = 2.25; mean 1.5
    expect(value(hingeFake(d()))).toBeCloseTo(1.5, 6);
  });

  it('hinge loss of the generator: mean over scales of −mean(D)', () => {
    // scale 0: 0.75; scale 1: −1.25; mean −0.25
    expect(value(hingeGenerator(d()))).toBeCloseTo(-0.25, 6);
  });

  it('feature matching: L1 of every intermediate map (not the prediction), summed, times λ/numD', () => {
    const fake: DiscriminatorOutput = [
      [map([1, 2]), map([1, 2, 3]), map([100])],
      [map([0, 0, 0, 4]), map([-7])],
    ];
    const real: DiscriminatorOutput = [
      [map([0, 4]), map([1, 2, 6]), map([-100])],
      [map([1, 1, 1, 1]), map([7])],
    ];
    // scale 0: mean(|1|, |−2|) = 1.5 and mean(0, 0, |−3|) = 1; scale 1: mean(1, 1, 1, 3) = 1.5.
    // (1.5 + 1 + 1.5) · 10 / 2 = 20; the predictions (±100, ±7) must not count.
    expect(value(featureMatching(fake, real, 10))).toBeCloseTo(20, 5);
  });

  it('KL divergence of N(μ, σ²) from N(0, 1), summed: −½ Σ (1 + log σ² − μ² − σ²)', () => {
    // μ = [1, 0], log σ² = [0, ln 2]: −½ ((1 + 0 − 1 − 1) + (1 + ln 2 − 0 − 2)) = 1 − (ln 2) / 2
    const kl = klDivergence(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, Math.log(2)]]));
    expect(value(kl)).toBeCloseTo(1 - Math.log(2) / 2, 6);
    expect(value(klDivergence(tf.zeros([3, 4]), tf.zeros([3, 4])))).toBeCloseTo(0, 10);
  });

  it('splits a discriminator output on [fake; real] into its two halves', () => {
    const stacked: DiscriminatorOutput = [[tf.tensor4d([1, 2, 3, 4, 5], [5, 1, 1, 1])]];
    const [first, second] = splitBatch(stacked, 2);
    expect(Array.from(first[0][0].dataSync())).toEqual([1, 2]);
    expect(Array.from(second[0][0].dataSync())).toEqual([3, 4, 5]);
  });
});
