import * as tf from '@tensorflow/tfjs-core';
import { type ForwardOptions, Module } from '../nn/layers/module';
import type { Rng } from '../nn/training/rng';
import type { NormKind } from './norms';
import { Spade, type SpadeInput } from './spade-layer';
import { LEAKY_SLOPE, SpadeConv } from './spade-conv';

export interface SpadeResBlockArgs {
  inChannels: number;
  outChannels: number;
  labelChannels: number;
  hidden: number;
  norm: NormKind;
  spectralNorm: boolean;
}

/**
 * NVlabs's SPADEResnetBlock: SPADE → leaky ReLU → 3×3 conv, twice (through min(in, out)
 * channels), added to the input; when the channel count changes the shortcut is learnt too
 * (SPADE → 1×1 conv without bias). Normalisation comes before each convolution.
 */
export class SpadeResBlock extends Module<SpadeInput, tf.Tensor4D> {
  private readonly conv0: SpadeConv;
  private readonly conv1: SpadeConv;
  private readonly convS?: SpadeConv;
  private readonly norm0: Spade;
  private readonly norm1: Spade;
  private readonly normS?: Spade;

  constructor(
    readonly config: SpadeResBlockArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels, labelChannels, hidden, norm, spectralNorm } = config;
    const middle = Math.min(inChannels, outChannels);
    const learnedShortcut = inChannels !== outChannels;
    // Construction order as NVlabs's (convs, then norms): the weights file lists them so.
    this.conv0 = this.addChild('conv_0', new SpadeConv({ inChannels, outChannels: middle, kernelSize: 3, padding: 1, spectralNorm }, rng));
    this.conv1 = this.addChild('conv_1', new SpadeConv({ inChannels: middle, outChannels, kernelSize: 3, padding: 1, spectralNorm }, rng));
    if (learnedShortcut) {
      this.convS = this.addChild('conv_s', new SpadeConv({ inChannels, outChannels, kernelSize: 1, padding: 0, useBias: false, spectralNorm }, rng));
    }
    const spade = (channels: number) => new Spade({ channels, labelChannels, hidden, norm }, rng);
    this.norm0 = this.addChild('norm_0', spade(inChannels));
    this.norm1 = this.addChild('norm_1', spade(middle));
    if (learnedShortcut) this.normS = this.addChild('norm_s', spade(inChannels));
  }

  protected call({ x, segmap }: SpadeInput, options: ForwardOptions): tf.Tensor4D {
    const shortcut =
      this.convS === undefined || this.normS === undefined ? x : (this.convS.forward(this.normS.forward({ x, segmap }, options), options) as tf.Tensor4D);
    const act = (t: tf.Tensor) => tf.leakyRelu(t, LEAKY_SLOPE);
    const dx0 = this.conv0.forward(act(this.norm0.forward({ x, segmap }, options)), options) as tf.Tensor4D;
    const dx1 = this.conv1.forward(act(this.norm1.forward({ x: dx0, segmap }, options)), options);
    return tf.add(shortcut, dx1) as tf.Tensor4D;
  }
}
