import * as tf from '@tensorflow/tfjs-core';
import type { ForwardOptions } from '../nn/layers/module';
import { upsampleNearest2x } from '../nn/layers/upsample';
import { Model } from '../nn/model';
import { Rng } from '../nn/training/rng';
import type { NormKind } from './norms';
import { SpadeResBlock } from './resblock';
import { LEAKY_SLOPE, linear, SpadeConv } from './spade-conv';
import { resizeSegmap } from './spade-layer';

/** 2^5: the generator upsamples five times from the latent grid to the image. */
export const SIZE_MULTIPLE = 32;

export type SpadeGeneratorArgs = {
  /** Image height and width; multiples of 32 (256 in the paper). */
  height: number;
  width: number;
  /** Base width nf: the blocks have 16nf, 16nf, 16nf, 8nf, 4nf, 2nf, nf channels (48 in the paper). */
  ngf: number;
  /** Classes of the one-hot segmap (4 for CAMUS). */
  labelChannels: number;
  /** Image channels (1 for echocardiograms). */
  outChannels: number;
  /** Hidden channels of every SPADE layer (128 in NVlabs). */
  hidden: number;
  norm: NormKind;
  spectralNorm: boolean;
  /** Start from a latent vector z (the VAE head's style code) instead of the downsampled segmap. */
  vae: boolean;
  /** Size of z (256 in NVlabs); used only with `vae`. */
  zDim: number;
  seed: number;
};

export interface GeneratorInput {
  /** One-hot segmap [N, H, W, labelChannels]. */
  segmap: tf.Tensor4D;
  /** Style code [N, zDim]; required with `vae`. */
  z?: tf.Tensor2D;
}

/**
 * NVlabs/SPADE's SPADEGenerator (num_upsampling_layers "normal"): a 3×3 conv of the segmap resized
 * to H/32 × W/32 (or, with the VAE head, a linear map of z) to 16nf channels, then SPADE residual
 * blocks head_0 (16nf), ×2 up, G_middle_0 and G_middle_1 (16nf), ×2 up, up_0 (8nf), ×2, up_1 (4nf),
 * ×2, up_2 (2nf), ×2, up_3 (nf), with nearest upsampling, then leaky ReLU, a 3×3 conv to the image
 * channels and tanh. Output in [-1, 1].
 */
export class SpadeGenerator extends Model<SpadeGeneratorArgs, GeneratorInput, tf.Tensor4D> {
  readonly className = 'SpadeGenerator';
  private readonly fc: SpadeConv;
  private readonly blocks: SpadeResBlock[];
  private readonly convImg: SpadeConv;
  private readonly latent: [number, number];

  constructor(config: SpadeGeneratorArgs) {
    super(config);
    const { height, width, ngf: nf, labelChannels, outChannels, hidden, norm, spectralNorm, vae, zDim } = config;
    if (height % SIZE_MULTIPLE !== 0 || width % SIZE_MULTIPLE !== 0 || height < SIZE_MULTIPLE || width < SIZE_MULTIPLE) {
      throw new Error(`SpadeGenerator: height and width must be positive multiples of ${SIZE_MULTIPLE}, got ${height}×${width}`);
    }
    if (!Number.isInteger(nf) || nf < 1) throw new Error(`SpadeGenerator: ngf must be a positive integer, got ${nf}`);
    const rng = new Rng(`SpadeGenerator/${config.seed}`);
    this.latent = [height / SIZE_MULTIPLE, width / SIZE_MULTIPLE];
    const [sh, sw] = this.latent;
    this.fc = this.addChild(
      'fc',
      vae
        ? new SpadeConv({ inChannels: zDim, outChannels: 16 * nf * sh * sw, kernelSize: 1, padding: 0, spectralNorm: false }, rng)
        : new SpadeConv({ inChannels: labelChannels, outChannels: 16 * nf, kernelSize: 3, padding: 1, spectralNorm: false }, rng),
    );
    const channels: Array<[string, number, number]> = [
      ['head_0', 16 * nf, 16 * nf],
      ['G_middle_0', 16 * nf, 16 * nf],
      ['G_middle_1', 16 * nf, 16 * nf],
      ['up_0', 16 * nf, 8 * nf],
      ['up_1', 8 * nf, 4 * nf],
      ['up_2', 4 * nf, 2 * nf],
      ['up_3', 2 * nf, nf],
    ];
    this.blocks = channels.map(([name, inChannels, outChannels]) =>
      this.addChild(name, new SpadeResBlock({ inChannels, outChannels, labelChannels, hidden, norm, spectralNorm }, rng)),
    );
    this.convImg = this.addChild('conv_img', new SpadeConv({ inChannels: nf, outChannels, kernelSize: 3, padding: 1, spectralNorm: false }, rng));
  }

  protected call({ segmap, z }: GeneratorInput, options: ForwardOptions): tf.Tensor4D {
    const { height, width, ngf, vae } = this.config;
    const [n, h, w] = segmap.shape;
    if (h !== height || w !== width) throw new Error(`SpadeGenerator: built for ${height}×${width} segmaps, got ${h}×${w}`);
    const [sh, sw] = this.latent;
    let x: tf.Tensor4D;
    if (vae) {
      if (z === undefined) throw new Error('SpadeGenerator: a VAE-head generator needs a style code z');
      x = tf.reshape(linear(this.fc, z, options), [n, sh, sw, 16 * ngf]);
    } else {
      x = this.fc.forward(resizeSegmap(segmap, sh, sw), options) as tf.Tensor4D;
    }
    // Upsample before every block but head_0 and G_middle_1 (five times in all).
    const upsampleBefore = [false, true, false, true, true, true, true];
    this.blocks.forEach((block, i) => {
      if (upsampleBefore[i]) x = upsampleNearest2x(x);
      x = block.forward({ x, segmap }, options);
    });
    return tf.tanh(this.convImg.forward(tf.leakyRelu(x, LEAKY_SLOPE), options)) as tf.Tensor4D;
  }
}
