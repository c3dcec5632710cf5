import * as tf from '@tensorflow/tfjs-core';
import { Dense } from '../nn/layers/dense';
import { type ForwardOptions, Module } from '../nn/layers/module';
import type { Rng } from '../nn/training/rng';
import { ConvEluBn } from './conv-elu-bn';

export interface MaskEncoderArgs {
  classes: number;
  size: number;
  blocks: number;
  initChannels: number;
  latent: number;
}

/** The posterior q(z | x) = N(mu, exp(logvar)) of a batch, [N, latent] each. */
export type Posterior = { mu: tf.Tensor2D; logvar: tf.Tensor2D };

/**
 * vital's Encoder2d with its distribution head: per block i a stride-2 and a stride-1 ConvEluBn of
 * c·2^i channels, then a stride-2 bottleneck back to c channels at size / 2^(blocks+1), flattened
 * into two dense heads for mu and logvar.
 */
export class MaskEncoder extends Module<tf.Tensor, Posterior> {
  private readonly convs: ConvEluBn[] = [];
  private readonly muHead: Dense;
  private readonly logvarHead: Dense;

  constructor(
    readonly config: MaskEncoderArgs,
    rng: Rng,
  ) {
    super();
    const { classes, size, blocks, initChannels: c, latent } = config;
    let channels = classes;
    for (let i = 0; i < blocks; i++) {
      const out = c * 2 ** i;
      this.convs.push(this.addChild(`down${i}`, new ConvEluBn({ inChannels: channels, outChannels: out, kind: 'down' }, rng)));
      this.convs.push(this.addChild(`conv${i}`, new ConvEluBn({ inChannels: out, outChannels: out, kind: 'same' }, rng)));
      channels = out;
    }
    this.convs.push(this.addChild('bottleneck', new ConvEluBn({ inChannels: channels, outChannels: c, kind: 'down' }, rng)));
    const side = size / 2 ** (blocks + 1);
    const features = c * side * side;
    this.muHead = this.addChild('mu', new Dense({ inFeatures: features, outFeatures: latent }, rng));
    this.logvarHead = this.addChild('logvar', new Dense({ inFeatures: features, outFeatures: latent }, rng));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): Posterior {
    const features = this.convs.reduce((h, conv) => conv.forward(h, options), x);
    const flat = tf.reshape(features, [features.shape[0], -1]);
    return { mu: this.muHead.forward(flat, options) as tf.Tensor2D, logvar: this.logvarHead.forward(flat, options) as tf.Tensor2D };
  }
}
