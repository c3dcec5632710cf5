import * as tf from '@tensorflow/tfjs-core';
import type { ForwardOptions } from '../nn/layers/module';
import { Model } from '../nn/model';
import { Rng } from '../nn/training/rng';
import { instanceNorm } from './norms';
import { LEAKY_SLOPE, linear, SpadeConv } from './spade-conv';

export type SpadeEncoderArgs = {
  /** Image channels (1 for echocardiograms). */
  inChannels: number;
  /** Width of the first layer; NVlabs uses the generator's ngf. */
  ngf: number;
  /** Size of the style code (256 in NVlabs). */
  zDim: number;
  spectralNorm: boolean;
  seed: number;
};

export type EncodedStyle = {
  mu: tf.Tensor2D;
  logvar: tf.Tensor2D;
};

/** Every image is resized to this square first, as in NVlabs. */
export const ENCODER_SIZE = 256;
/** Six stride-2 layers: 256 → 4. */
const LAYERS = 6;

/**
 * NVlabs/SPADE's ConvEncoder (the VAE head): six 3×3 stride-2 convolutions of nf, 2nf, 4nf, 8nf,
 * 8nf, 8nf channels, each spectrally normalised and instance-normalised, with leaky ReLU between,
 * then two linear maps of the flattened 4×4 result to μ and log σ² of a `zDim` style code.
 *
 * Like NVlabs, it first resizes every image to 256×256 (bilinear, half-pixel centres as PyTorch's
 * align_corners=False): at the image's own size a 32- or 64-pixel image would shrink to 1×1 before
 * the last layers, where instance norm outputs zeros. (NVlabs's 5-layer variant for crops under
 * 256 does not fit its own linear layers, so it is not reproduced.)
 */
export class SpadeEncoder extends Model<SpadeEncoderArgs, tf.Tensor4D, EncodedStyle> {
  readonly className = 'SpadeEncoder';
  private readonly layers: SpadeConv[];
  private readonly fcMu: SpadeConv;
  private readonly fcVar: SpadeConv;

  constructor(config: SpadeEncoderArgs) {
    super(config);
    const { inChannels, ngf: nf, zDim, spectralNorm } = config;
    const rng = new Rng(`SpadeEncoder/${config.seed}`);
    const channels = [nf, 2 * nf, 4 * nf, 8 * nf, 8 * nf, 8 * nf];
    let previous = inChannels;
    this.layers = channels.map((out, i) => {
      const conv = new SpadeConv({ inChannels: previous, outChannels: out, kernelSize: 3, stride: 2, padding: 1, useBias: false, spectralNorm }, rng);
      previous = out;
      return this.addChild(`layer${i + 1}`, conv);
    });
    const features = 8 * nf * (ENCODER_SIZE / 2 ** LAYERS) ** 2;
    this.fcMu = this.addChild('fc_mu', new SpadeConv({ inChannels: features, outChannels: zDim, kernelSize: 1, padding: 0, spectralNorm: false }, rng));
    this.fcVar = this.addChild('fc_var', new SpadeConv({ inChannels: features, outChannels: zDim, kernelSize: 1, padding: 0, spectralNorm: false }, rng));
  }

  protected call(image: tf.Tensor4D, options: ForwardOptions): EncodedStyle {
    const [, h, w] = image.shape;
    let x = h === ENCODER_SIZE && w === ENCODER_SIZE ? image : tf.image.resizeBilinear(image, [ENCODER_SIZE, ENCODER_SIZE], false, true);
    this.layers.forEach((layer, i) => {
      if (i > 0) x = tf.leakyRelu(x, LEAKY_SLOPE);
      x = instanceNorm(layer.forward(x, options) as tf.Tensor4D);
    });
    const flat = tf.reshape(tf.leakyRelu(x, LEAKY_SLOPE), [x.shape[0], -1]) as tf.Tensor2D;
    return { mu: linear(this.fcMu, flat, options), logvar: linear(this.fcVar, flat, options) };
  }
}

/** z = μ + ε·exp(logσ²/2) for standard normal noise ε of μ's shape (the reparameterisation trick). */
export function reparameterize({ mu, logvar }: EncodedStyle, noise: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(mu, tf.mul(noise, tf.exp(tf.mul(logvar, 0.5)))) as tf.Tensor2D);
}
