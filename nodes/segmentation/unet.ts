import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../nn/training/rng';
import { BatchNorm } from '../nn/layers/batch-norm';
import { Conv2d } from '../nn/layers/conv2d';
import { type ForwardOptions, Module } from '../nn/layers/module';
import { upsampleNearest2x } from '../nn/layers/upsample';
import { SegmentationModel } from '../nn/model';

/**
 * The U-Net of the CAMUS paper (Leclerc et al. 2019), as vital's `CamusUnet` builds it:
 * five encoder blocks of c, c, 2c, 4c, 4c channels (c = initChannels, 32 in the paper), each followed
 * by 2×2 max pooling, a 4c bottleneck, then five decoder steps of nearest 2× upsampling,
 * concatenation with the encoder block of the same size ([upsampled, skip] order) and a block of 4c,
 * 4c, 2c, c, c/2 channels, and a 1×1 classifier. Each block is two (3×3 conv with bias → ReLU →
 * batch norm), in vital's order; kernels are Glorot-uniform as vital initialises them.
 */
export type UNetArgs = {
  /** Image channels (1 for echocardiograms). */
  inChannels: number;
  /** Output classes including background (4 for CAMUS). */
  classes: number;
  /** Channels of the first block; must be even (the last decoder block has half). */
  initChannels: number;
  /** Seed of the weight initialisation. */
  seed: number;
};

export class UNet extends SegmentationModel<UNetArgs> {
  readonly className = 'UNet';
  readonly sizeMultiple = 32;
  readonly classes: number;
  private readonly encoders: ConvBlock[];
  private readonly bottleneck: ConvBlock;
  private readonly decoders: ConvBlock[];
  private readonly classifier: Conv2d;

  constructor(config: UNetArgs) {
    super(config);
    const { inChannels, classes, initChannels: c } = config;
    if (!Number.isInteger(c) || c < 2 || c % 2 !== 0) throw new Error(`UNet: initChannels must be an even integer ≥ 2, got ${c}`);
    this.classes = classes;
    const rng = new Rng(config.seed);
    const encoderChannels = [c, c, 2 * c, 4 * c, 4 * c];
    let previous = inChannels;
    this.encoders = encoderChannels.map((out, i) => {
      const block = this.addChild(`encoder${i + 1}`, new ConvBlock({ inChannels: previous, outChannels: out }, rng));
      previous = out;
      return block;
    });
    this.bottleneck = this.addChild('bottleneck', new ConvBlock({ inChannels: 4 * c, outChannels: 4 * c }, rng));
    const decoderChannels = [4 * c, 4 * c, 2 * c, c, c / 2];
    previous = 4 * c;
    this.decoders = decoderChannels.map((out, i) => {
      const skip = encoderChannels[encoderChannels.length - 1 - i];
      const block = this.addChild(`decoder${5 - i}`, new ConvBlock({ inChannels: previous + skip, outChannels: out }, rng));
      previous = out;
      return block;
    });
    this.classifier = this.addChild('classifier', new Conv2d({ inChannels: c / 2, outChannels: classes, kernelSize: 1, kernelInit: 'glorot-uniform' }, rng));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const skips: tf.Tensor4D[] = [];
    let h = x as tf.Tensor4D;
    for (const encoder of this.encoders) {
      h = encoder.forward(h, options) as tf.Tensor4D;
      skips.push(h);
      h = tf.maxPool(h, 2, 2, 'valid');
    }
    h = this.bottleneck.forward(h, options) as tf.Tensor4D;
    this.decoders.forEach((decoder, i) => {
      h = decoder.forward(tf.concat([upsampleNearest2x(h), skips[skips.length - 1 - i]], 3), options) as tf.Tensor4D;
    });
    return this.classifier.forward(h, options);
  }
}

interface ConvBlockArgs {
  inChannels: number;
  outChannels: number;
}

/** Two (3×3 conv → ReLU → batch norm), keeping the spatial size. */
class ConvBlock extends Module {
  private readonly layers: Array<{ conv: Conv2d; norm: BatchNorm }>;

  constructor(
    readonly config: ConvBlockArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels } = config;
    this.layers = [inChannels, outChannels].map((cin, i) => ({
      conv: this.addChild(`conv${i + 1}`, new Conv2d({ inChannels: cin, outChannels, kernelSize: 3, kernelInit: 'glorot-uniform' }, rng)),
      norm: this.addChild(`bn${i + 1}`, new BatchNorm({ channels: outChannels })),
    }));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    return this.layers.reduce((h, { conv, norm }) => norm.forward(tf.relu(conv.forward(h, options)), options), x);
  }
}
