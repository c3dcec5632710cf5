import * as tf from '@tensorflow/tfjs-core';
import { type ForwardOptions, Module } from '../nn/layers/module';
import type { Rng } from '../nn/training/rng';
import { type NormKind, ParamFreeNorm } from './norms';
import { SpadeConv } from './spade-conv';

export interface SpadeArgs {
  /** Channels of the activations it normalises. */
  channels: number;
  /** Channels of the one-hot segmentation map. */
  labelChannels: number;
  /** Channels of the shared embedding of the segmap: 128 in NVlabs ("Yes, hardcoded"). */
  hidden: number;
  norm: NormKind;
}

export interface SpadeInput {
  x: tf.Tensor4D;
  /** One-hot segmentation map at any size; it is resized (nearest) to x's. */
  segmap: tf.Tensor4D;
}

/**
 * Spatially-adaptive denormalisation (Park et al. 2019): x is normalised without learnt parameters,
 * then scaled and shifted per pixel by γ and β predicted from the segmap —
 * out = norm(x)·(1 + γ) + β, with γ, β = 3×3 convs of ReLU(3×3 conv of the segmap).
 * None of these convolutions is spectrally normalised in NVlabs's code.
 */
export class Spade extends Module<SpadeInput, tf.Tensor4D> {
  private readonly norm: ParamFreeNorm;
  private readonly shared: SpadeConv;
  private readonly gamma: SpadeConv;
  private readonly beta: SpadeConv;

  constructor(
    readonly config: SpadeArgs,
    rng: Rng,
  ) {
    super();
    const { channels, labelChannels, hidden } = config;
    this.norm = this.addChild('norm', new ParamFreeNorm({ kind: config.norm, channels }));
    const conv = (inChannels: number, outChannels: number) => new SpadeConv({ inChannels, outChannels, kernelSize: 3, padding: 1, spectralNorm: false }, rng);
    this.shared = this.addChild('mlp_shared', conv(labelChannels, hidden));
    this.gamma = this.addChild('mlp_gamma', conv(hidden, channels));
    this.beta = this.addChild('mlp_beta', conv(hidden, channels));
  }

  protected call({ x, segmap }: SpadeInput, options: ForwardOptions): tf.Tensor4D {
    const normalised = this.norm.forward(x, options);
    const seg = resizeSegmap(segmap, x.shape[1], x.shape[2]);
    const actv = tf.relu(this.shared.forward(seg, options));
    const gamma = this.gamma.forward(actv, options);
    const beta = this.beta.forward(actv, options);
    return tf.add(tf.mul(normalised, tf.add(gamma, 1)), beta) as tf.Tensor4D;
  }
}

/**
 * A segmap at another size by nearest neighbour, sampling source pixel floor(i·in/out) as
 * PyTorch's F.interpolate(mode='nearest') does. The segmap is data, never differentiated.
 */
export function resizeSegmap(segmap: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  if (segmap.shape[1] === height && segmap.shape[2] === width) return segmap;
  return tf.image.resizeNearestNeighbor(segmap, [height, width], false, false);
}
