import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '../nn/layers/batch-norm';
import { type ForwardOptions, Module } from '../nn/layers/module';

/** PyTorch's default for both norms. */
const EPSILON = 1e-5;

/**
 * Instance normalisation without learnt scale or offset (PyTorch's InstanceNorm2d defaults): each
 * sample's channels are normalised over their own pixels with the biased variance, in training and
 * evaluation alike, so it keeps no state.
 */
export function instanceNorm(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPSILON))) as tf.Tensor4D;
  });
}

export type NormKind = 'batch' | 'instance';

export interface ParamFreeNormArgs {
  kind: NormKind;
  channels: number;
}

/**
 * The normalisation inside a SPADE layer, with no learnt scale or offset (SPADE supplies them):
 * batch norm with running statistics for evaluation (NVlabs's default, synchronised across GPUs
 * there), or instance norm.
 */
export class ParamFreeNorm extends Module<tf.Tensor4D, tf.Tensor4D> {
  private readonly batch?: BatchNorm;

  constructor(readonly config: ParamFreeNormArgs) {
    super();
    if (config.kind === 'batch') this.batch = this.addChild('bn', new BatchNorm({ channels: config.channels, affine: false, epsilon: EPSILON }));
  }

  protected call(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor4D {
    return this.batch === undefined ? instanceNorm(x) : (this.batch.forward(x, options) as tf.Tensor4D);
  }
}
