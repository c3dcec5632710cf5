import * as tf from '@tensorflow/tfjs-core';
import { type LossTerms, segmentationLoss, type SegmentationLoss } from '../segmentation/losses';
import type { VaeOutput } from './mask-vae';

/**
 * KL(N(mu, exp(logvar)) ‖ N(0, I)), summed over the latent dimensions and averaged over the batch
 * (vital's kl_div_zmuv).
 */
export function klToStandardNormal(mu: tf.Tensor2D, logvar: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const perDimension = tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1));
    return tf.mul(tf.mean(tf.sum(perDimension, 1)), 0.5) as tf.Scalar;
  });
}

/**
 * The VAE's negative ELBO, up to scale: the segmentation reconstruction loss of the logits
 * (cross-entropy, optionally + soft Dice; per-pixel means) plus klWeight × KL. Terms: `ce`, `dice`
 * when used, `kl` (unweighted).
 */
export function vaeLoss(output: VaeOutput, labels: tf.Tensor3D, reconstruction: SegmentationLoss, klWeight: number): LossTerms {
  return tf.tidy<LossTerms>(() => {
    const recon = segmentationLoss(output.logits, labels, reconstruction);
    const kl = klToStandardNormal(output.mu, output.logvar);
    const terms: Record<string, tf.Scalar> = reconstruction === 'ce' ? { ce: recon.loss, kl } : { ...recon.terms, kl };
    return { loss: tf.add(recon.loss, tf.mul(kl, klWeight)) as tf.Scalar, terms };
  });
}
