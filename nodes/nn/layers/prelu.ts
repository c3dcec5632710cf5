import * as tf from '@tensorflow/tfjs-core';
import { Module } from './module';

export interface PReLUArgs {
  channels: number;
  /** Initial negative slope. Default 0.25 (He et al. 2015). */
  initialAlpha?: number;
}

/** Parametric ReLU with one learnt slope per channel, as in ENet's original Torch code. */
export class PReLU extends Module {
  readonly alpha: tf.Variable;

  constructor(readonly config: PReLUArgs) {
    super();
    this.alpha = this.addWeight('alpha', tf.fill([config.channels], config.initialAlpha ?? 0.25));
  }

  protected call(x: tf.Tensor): tf.Tensor {
    return tf.prelu(x, this.alpha);
  }
}
