import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '../nn/layers/batch-norm';
import { Conv2d } from '../nn/layers/conv2d';
import { ConvTranspose2d } from '../nn/layers/conv-transpose2d';
import { type ForwardOptions, Module } from '../nn/layers/module';
import type { Rng } from '../nn/training/rng';

/**
 * The building block of vital's convolutional autoencoders (conv2d_activation_bn and its transposed
 * twin): convolution with bias → ELU → batch norm, in that order.
 *
 * - `same`: 3×3 convolution, stride 1 (keeps the size)
 * - `down`: 3×3 convolution, stride 2 (halves it)
 * - `up`: 2×2 transposed convolution, stride 2 (doubles it)
 */
export type ConvEluBnKind = 'same' | 'down' | 'up';

export interface ConvEluBnArgs {
  inChannels: number;
  outChannels: number;
  kind: ConvEluBnKind;
}

export class ConvEluBn extends Module {
  private readonly conv: Conv2d | ConvTranspose2d;
  private readonly norm: BatchNorm;

  constructor(
    readonly config: ConvEluBnArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels, kind } = config;
    this.conv =
      kind === 'up'
        ? this.addChild('conv', new ConvTranspose2d({ inChannels, outChannels, kernelSize: 2, stride: 2, padding: 'valid' }, rng))
        : this.addChild('conv', new Conv2d({ inChannels, outChannels, kernelSize: 3, stride: kind === 'down' ? 2 : 1 }, rng));
    this.norm = this.addChild('bn', new BatchNorm({ channels: outChannels }));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    return this.norm.forward(tf.elu(this.conv.forward(x, options)), options);
  }
}
