import * as tf from '@tensorflow/tfjs-core';
import { type ForwardOptions, Module, requireRng } from './module';

export interface SpatialDropoutArgs {
  /** Probability of dropping a whole feature map. */
  rate: number;
}

/**
 * Spatial dropout (Tompson et al. 2015): zeroes whole channels of each sample rather than single
 * pixels, since neighbouring pixels are too correlated for pixel dropout to regularise. Kept
 * channels are scaled by 1/(1 − rate), so evaluation is the identity.
 */
export class SpatialDropout extends Module {
  constructor(readonly config: SpatialDropoutArgs) {
    super();
    if (!(config.rate >= 0 && config.rate < 1)) throw new Error(`SpatialDropout: rate must be in [0, 1), got ${config.rate}`);
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const { rate } = this.config;
    if (!options.training || rate === 0) return tf.clone(x);
    const seed = requireRng(options, 'SpatialDropout').seed();
    const [n, , , c] = x.shape;
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform([n, 1, 1, c], 0, 1, 'float32', seed), rate), 'float32');
    return tf.mul(x, tf.div(keep, 1 - rate));
  }
}
