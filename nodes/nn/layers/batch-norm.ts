import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining, updateRunningStatistics } from '../../../engine/compute';
import { type ForwardOptions, Module } from './module';

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
    const backend = tf.getBackend();
    if (backend === 'wasm' || backend === 'cpu') {
      // wasm's Mean and Sum kernels add in float32: over a 128×128 batch of 8 (131,072 values per
      // channel) the mean's error, and above all that of Σdy in the backward pass (a small sum of
      // large terms of both signs), put errors of 10–40 % on the encoder's gradients, and training
      // ran several times slower than PyTorch's on the same data. The fused kernel sums in float64.
      const { y, mean, variance } = batchNormTraining(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, { epsilon });
      this.updateRunningStats(x, mean, variance);
      tf.dispose([mean, variance]);
      return y;
    }
    return this.normaliseBatch(x, gamma, beta);
  }

  /**
   * Training-mode normalisation with the textbook gradient
   *   dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)),  dγ = Σ dy · x̂,  dβ = Σ dy
   * (means and sums over batch, rows and columns). tfjs's own FusedBatchNorm gradient tiles the
   * per-channel factors to the full tensor and treats mean and variance as separate inputs, which
   * made it the slowest part of a training step.
   */
  private readonly normaliseBatch = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, gamma, beta, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const epsilon = this.config.epsilon ?? 1e-5;
    // Written out rather than tf.moments, which adds casts and reshapes: on wasm the number of ops,
    // not their size, sets the cost of a small network's step.
    const mean = tf.mean(x, [0, 1, 2]);
    const centred = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centred), [0, 1, 2]);
    this.updateRunningStats(x, mean, variance);
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const normalised = tf.mul(centred, invStd);
    save([normalised, invStd, gamma]);
    return {
      value: tf.add(tf.mul(normalised, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, inv, g] = saved;
        const count = dy.size / dy.shape[dy.rank - 1];
        const dBeta = tf.sum(dy, [0, 1, 2]);
        const dGamma = tf.sum(tf.mul(dy, xHat), [0, 1, 2]);
        const centredDy = tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xHat, tf.div(dGamma, count)));
        return [tf.mul(centredDy, tf.mul(g, inv)), dGamma, dBeta];
      },
    };
  });

  private updateRunningStats(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor): void {
    const count = x.size / x.shape[x.rank - 1];
    updateRunningStatistics({ mean: this.runningMean, variance: this.runningVar }, { mean, variance }, this.config.momentum ?? 0.1, count);
  }
}
