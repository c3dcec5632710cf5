import * as tf from '@tensorflow/tfjs-core';
import { ForwardOptions, Module } from './module';

export interface BatchNormArgs {
  channels: number;
  /** Weight of the new batch in the running statistics, as PyTorch counts it. Default 0.1. */
  momentum?: number;
  /** Default 1e-5. */
  epsilon?: number;
  /** Learn a scale and offset per channel. Default true; SPADE's parameter-free norm has none. */
  affine?: boolean;
}

/**
 * Batch normalisation over the channel axis of NHWC tensors. Training normalises with the batch's
 * statistics and updates the running ones (unbiased variance, as PyTorch); evaluation uses the
 * running statistics, so a model predicts the same for an image whatever else is in the batch.
 */
export class BatchNorm extends Module {
  readonly gamma?: tf.Variable;
  readonly beta?: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;

  constructor(readonly config: BatchNormArgs) {
    super();
    const c = config.channels;
    if (config.affine ?? true) {
      this.gamma = this.addWeight('gamma', tf.ones([c]));
      this.beta = this.addWeight('beta', tf.zeros([c]));
    }
    this.runningMean = this.addWeight('running_mean', tf.zeros([c]), false);
    this.runningVar = this.addWeight('running_var', tf.ones([c]), false);
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const epsilon = this.config.epsilon ?? 1e-5;
    // tfjs's batch-norm gradient needs a scale tensor, so a parameter-free norm passes constants.
    const c = this.config.channels;
    const gamma = this.gamma ?? tf.ones([c]);
    const beta = this.beta ?? tf.zeros([c]);
    if (!options.training) {
      return tf.batchNorm(x as tf.Tensor4D, this.runningMean, this.runningVar, beta, gamma, epsilon);
    }
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    this.updateRunningStats(x, mean, variance);
    return tf.batchNorm(x as tf.Tensor4D, mean, variance, beta, gamma, epsilon);
  }

  private updateRunningStats(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor): void {
    const momentum = this.config.momentum ?? 0.1;
    const count = x.size / x.shape[x.rank - 1];
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    // Variable assignment is not recorded on the gradient tape, so this stays out of backprop.
    this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - momentum), tf.mul(mean, momentum)));
    this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - momentum), tf.mul(unbiased, momentum)));
  }
}
