import * as tf from '@tensorflow/tfjs-core';
import type { DiscriminatorOutput } from './discriminator';

/**
 * SPADE's losses as NVlabs's GANLoss (gan_mode "hinge"), feature matching and KLDLoss compute them.
 * Each GAN term is averaged over the discriminator's scales, using each scale's last output.
 */

/** The real/fake maps of every scale. */
function predictions(output: DiscriminatorOutput): tf.Tensor[] {
  return output.map((scale) => scale[scale.length - 1]);
}

function meanOverScales(output: DiscriminatorOutput, perScale: (prediction: tf.Tensor) => tf.Scalar): tf.Scalar {
  return tf.tidy(() => tf.div(tf.addN(predictions(output).map(perScale)), output.length) as tf.Scalar);
}

/** Discriminator on real inputs: mean(max(0, 1 − D(x))). */
export function hingeReal(output: DiscriminatorOutput): tf.Scalar {
  return meanOverScales(output, (p) => tf.mean(tf.relu(tf.sub(1, p))));
}

/** Discriminator on generated inputs: mean(max(0, 1 + D(G(s)))). */
export function hingeFake(output: DiscriminatorOutput): tf.Scalar {
  return meanOverScales(output, (p) => tf.mean(tf.relu(tf.add(1, p))));
}

/** Generator: −mean(D(G(s))). */
export function hingeGenerator(output: DiscriminatorOutput): tf.Scalar {
  return meanOverScales(output, (p) => tf.neg(tf.mean(p)));
}

/**
 * Feature matching (pix2pixHD): the L1 distance (mean absolute difference) between the
 * discriminator's intermediate activations on generated and on real inputs, summed over layers
 * (the prediction excluded) and scales, times λ/numD. The real activations are treated as
 * constants only because the caller does not differentiate with respect to them.
 */
export function featureMatching(fake: DiscriminatorOutput, real: DiscriminatorOutput, lambda: number): tf.Scalar {
  return tf.tidy(() => {
    const terms = fake.flatMap((scale, i) => scale.slice(0, -1).map((f, j) => tf.mean(tf.abs(tf.sub(f, real[i][j])))));
    return tf.mul(tf.addN(terms), lambda / fake.length) as tf.Scalar;
  });
}

/** KL(N(μ, σ²) ‖ N(0, 1)) summed over the batch and the code: −½ Σ (1 + log σ² − μ² − σ²). */
export function klDivergence(mu: tf.Tensor, logvar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.sum(tf.sub(tf.sub(tf.add(1, logvar), tf.square(mu)), tf.exp(logvar))), -0.5) as tf.Scalar);
}

/** Splits the discriminator's output on [first; second] stacked along the batch into the two halves. */
export function splitBatch(output: DiscriminatorOutput, firstCount: number): [DiscriminatorOutput, DiscriminatorOutput] {
  return tf.tidy(() => {
    const part = (start: number) =>
      output.map((scale) => scale.map((t) => tf.slice(t, [start, 0, 0, 0], [start === 0 ? firstCount : t.shape[0] - firstCount, -1, -1, -1])));
    return [part(0), part(firstCount)];
  });
}
