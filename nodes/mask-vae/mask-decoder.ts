import * as tf from '@tensorflow/tfjs-core';
import { Conv2d } from '../nn/layers/conv2d';
import { Dense } from '../nn/layers/dense';
import { type ForwardOptions, Module } from '../nn/layers/module';
import type { Rng } from '../nn/training/rng';
import { ConvEluBn } from './conv-elu-bn';
import type { MaskEncoderArgs } from './mask-encoder';

/**
 * vital's Decoder2d: a dense layer + ELU from z to c maps of size / 2^(blocks+1), then per block a
 * 2×2 stride-2 transposed ConvEluBn and a 3×3 ConvEluBn of c·2^(blocks−1−i) channels, a last
 * transposed ConvEluBn at c channels back to full size, and a 3×3 classifier to class logits.
 */
export class MaskDecoder extends Module<tf.Tensor, tf.Tensor4D> {
  private readonly project: Dense;
  private readonly convs: ConvEluBn[] = [];
  private readonly classifier: Conv2d;
  private readonly side: number;

  constructor(
    readonly config: MaskEncoderArgs,
    rng: Rng,
  ) {
    super();
    const { classes, size, blocks, initChannels: c, latent } = config;
    this.side = size / 2 ** (blocks + 1);
    this.project = this.addChild('project', new Dense({ inFeatures: latent, outFeatures: c * this.side * this.side }, rng));
    let channels = c;
    for (let i = 0; i < blocks; i++) {
      const out = c * 2 ** (blocks - 1 - i);
      this.convs.push(this.addChild(`up${i}`, new ConvEluBn({ inChannels: channels, outChannels: out, kind: 'up' }, rng)));
      this.convs.push(this.addChild(`conv${i}`, new ConvEluBn({ inChannels: out, outChannels: out, kind: 'same' }, rng)));
      channels = out;
    }
    this.convs.push(this.addChild(`up${blocks}`, new ConvEluBn({ inChannels: channels, outChannels: channels, kind: 'up' }, rng)));
    this.classifier = this.addChild('classifier', new Conv2d({ inChannels: channels, outChannels: classes, kernelSize: 3, kernelInit: 'glorot-uniform' }, rng));
  }

  protected call(z: tf.Tensor, options: ForwardOptions): tf.Tensor4D {
    const projected = tf.elu(this.project.forward(z, options));
    const maps = tf.reshape(projected, [z.shape[0], this.side, this.side, this.config.initChannels]);
    const features = this.convs.reduce((h, conv) => conv.forward(h, options), maps);
    return this.classifier.forward(features, options) as tf.Tensor4D;
  }
}
