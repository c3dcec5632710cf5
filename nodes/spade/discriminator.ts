import * as tf from '@tensorflow/tfjs-core';
import { type ForwardOptions, Module } from '../nn/layers/module';
import { Model } from '../nn/model';
import { Rng } from '../nn/training/rng';
import { instanceNorm } from './norms';
import { LEAKY_SLOPE, SpadeConv } from './spade-conv';

export type SpadeDiscriminatorArgs = {
  /** Channels of its input: one-hot segmap ⊕ image (4 + 1 for CAMUS). */
  inChannels: number;
  /** Channels of the first layer, doubled per layer up to 512 (48 in the paper). */
  ndf: number;
  /** Discriminators at successively halved scales (2 in NVlabs). */
  numD: number;
  /** Spectral norm on the inner convolutions (NVlabs's `spectralinstance`). */
  spectralNorm: boolean;
  seed: number;
};

/** Per scale, the outputs of every layer: four feature maps, then the real/fake map. */
export type DiscriminatorOutput = tf.Tensor4D[][];

/** NVlabs's n_layers_D: four 4×4 convolutions before the 1-channel prediction. */
const LAYERS = 4;
const MAX_CHANNELS = 512;
const KERNEL = 4;
/** ceil((4 − 1) / 2), NVlabs's padw. */
const PAD = 2;

/**
 * NVlabs/SPADE's MultiscaleDiscriminator: `numD` PatchGAN discriminators, the i-th looking at the
 * input average-pooled i times (3×3 window, stride 2, padding 1 not counted). Each returns every
 * intermediate activation (for the feature-matching loss) and its patch predictions.
 */
export class SpadeDiscriminator extends Model<SpadeDiscriminatorArgs, tf.Tensor4D, DiscriminatorOutput> {
  readonly className = 'SpadeDiscriminator';
  private readonly scales: PatchDiscriminator[];

  constructor(config: SpadeDiscriminatorArgs) {
    super(config);
    if (!Number.isInteger(config.numD) || config.numD < 1) throw new Error(`SpadeDiscriminator: numD must be a positive integer, got ${config.numD}`);
    const rng = new Rng(`SpadeDiscriminator/${config.seed}`);
    this.scales = Array.from({ length: config.numD }, (_, i) =>
      this.addChild(`discriminator_${i}`, new PatchDiscriminator({ inChannels: config.inChannels, ndf: config.ndf, spectralNorm: config.spectralNorm }, rng)),
    );
  }

  protected call(input: tf.Tensor4D, options: ForwardOptions): DiscriminatorOutput {
    let x = input;
    return this.scales.map((d, i) => {
      if (i > 0) x = downsample(x);
      return d.forward(x, options);
    });
  }
}

interface PatchDiscriminatorArgs {
  inChannels: number;
  ndf: number;
  spectralNorm: boolean;
}

/**
 * NVlabs's NLayerDiscriminator: 4×4 conv (stride 2) + leaky ReLU; three 4×4 convs (strides 2, 2, 1)
 * each followed by instance norm (so without bias) and leaky ReLU; a 4×4 conv to one channel.
 * Only the three normalised convolutions are spectrally normalised, as in NVlabs.
 */
class PatchDiscriminator extends Module<tf.Tensor4D, tf.Tensor4D[]> {
  private readonly convs: SpadeConv[];

  constructor(
    readonly config: PatchDiscriminatorArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, ndf, spectralNorm } = config;
    this.convs = [
      this.addChild('model0', new SpadeConv({ inChannels, outChannels: ndf, kernelSize: KERNEL, stride: 2, padding: PAD, spectralNorm: false }, rng)),
    ];
    let channels = ndf;
    for (let n = 1; n < LAYERS; n++) {
      const previous = channels;
      channels = Math.min(channels * 2, MAX_CHANNELS);
      const stride = n === LAYERS - 1 ? 1 : 2;
      this.convs.push(
        this.addChild(
          `model${n}`,
          new SpadeConv({ inChannels: previous, outChannels: channels, kernelSize: KERNEL, stride, padding: PAD, useBias: false, spectralNorm }, rng),
        ),
      );
    }
    this.convs.push(
      this.addChild(`model${LAYERS}`, new SpadeConv({ inChannels: channels, outChannels: 1, kernelSize: KERNEL, padding: PAD, spectralNorm: false }, rng)),
    );
  }

  protected call(x: tf.Tensor4D, options: ForwardOptions): tf.Tensor4D[] {
    const outputs: tf.Tensor4D[] = [];
    let h = x;
    this.convs.forEach((conv, n) => {
      h = conv.forward(h, options) as tf.Tensor4D;
      if (n < LAYERS) {
        if (n > 0) h = instanceNorm(h);
        h = tf.leakyRelu(h, LEAKY_SLOPE);
      }
      outputs.push(h);
    });
    return outputs;
  }
}

/**
 * F.avg_pool2d(kernel 3, stride 2, padding 1, count_include_pad=False): the mean over the window's
 * pixels inside the image. Written as a sum pool of the zero-padded input divided by the number of
 * real pixels per window, since TensorFlow's `same` padding would pad on one side only.
 */
export function downsample(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const pad: Array<[number, number]> = [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ];
    const sums = tf.avgPool(tf.pad(x, pad), 3, 2, 'valid');
    const counts = tf.avgPool(tf.pad(tf.ones([1, h, w, 1]), pad) as tf.Tensor4D, 3, 2, 'valid');
    return tf.div(sums, counts) as tf.Tensor4D;
  });
}
