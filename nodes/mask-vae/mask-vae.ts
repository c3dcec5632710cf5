import * as tf from '@tensorflow/tfjs-core';
import { type ForwardOptions, requireRng } from '../nn/layers/module';
import { Model } from '../nn/model';
import { Rng } from '../nn/training/rng';
import { MaskDecoder } from './mask-decoder';
import { MaskEncoder, type Posterior } from './mask-encoder';

/**
 * The convolutional VAE of Painchaud et al.'s CAMUS masks (vital's VariationalAutoencoder2d: 4 blocks
 * of 48·2^i channels and a 32-dimensional latent space at 256×256), with the number of blocks scaled
 * to the registered size so that the bottleneck stays about 8×8 (see `defaultBlocks`). Input: one-hot
 * masks [N, size, size, classes]; output: class logits of the same shape.
 */
export type MaskVaeArgs = {
  /** Labels including background (4 for CAMUS). */
  classes: number;
  /** Side of the square registered masks; divisible by 2^(blocks+1). */
  size: number;
  /** Downsampling blocks of the encoder (and upsampling blocks of the decoder). */
  blocks: number;
  /** Channels of the first block; block i has initChannels·2^i (48 in vital). */
  initChannels: number;
  /** Dimensions of z (32 in Painchaud et al.). */
  latent: number;
  /** Seed of the weight initialisation. */
  seed: number;
};

/** What `reconstruct` returns: the reconstruction's logits and the posterior they were decoded from. */
export type VaeOutput = { logits: tf.Tensor4D } & Posterior;

/** The smallest number of blocks (≥ 1) that brings the bottleneck down to 8×8 or less, or undefined if the size does not divide. */
export function defaultBlocks(size: number): number | undefined {
  for (let blocks = 1; blocks <= 8; blocks++) {
    const side = size / 2 ** (blocks + 1);
    if (!Number.isInteger(side)) return undefined;
    if (side <= 8) return blocks;
  }
  return undefined;
}

export class MaskVae extends Model<MaskVaeArgs> {
  readonly className = 'MaskVae';
  private readonly encoder: MaskEncoder;
  private readonly decoder: MaskDecoder;

  constructor(config: MaskVaeArgs) {
    super(config);
    const { size, blocks, initChannels, latent, classes } = config;
    if (!Number.isInteger(blocks) || blocks < 1) throw new Error(`MaskVae: blocks must be an integer ≥ 1, got ${blocks}`);
    if (!Number.isInteger(size / 2 ** (blocks + 1)) || size < 2 ** (blocks + 1)) {
      throw new Error(`MaskVae: size ${size} is not divisible by 2^(blocks+1) = ${2 ** (blocks + 1)}`);
    }
    for (const [name, value] of Object.entries({ initChannels, latent, classes })) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`MaskVae: ${name} must be a positive integer, got ${value}`);
    }
    const rng = new Rng(config.seed);
    this.encoder = this.addChild('encoder', new MaskEncoder(config, rng));
    this.decoder = this.addChild('decoder', new MaskDecoder(config, rng));
  }

  /** The posterior of one-hot masks [N, size, size, classes]. */
  encode(x: tf.Tensor4D, options: ForwardOptions): Posterior {
    return this.encoder.forward(x, options);
  }

  /** Class logits [N, size, size, classes] of latent codes [N, latent]. */
  decode(z: tf.Tensor2D, options: ForwardOptions): tf.Tensor4D {
    return this.decoder.forward(z, options);
  }

  /**
   * Reconstruction logits with the posterior they were decoded from. Training draws z from the
   * posterior (reparameterisation trick); evaluation decodes its mean.
   */
  reconstruct(x: tf.Tensor4D, options: ForwardOptions): VaeOutput {
    return tf.tidy(() => {
      const { mu, logvar } = this.encoder.forward(x, options);
      let z = mu;
      if (options.training) {
        const noise = tf.randomNormal(mu.shape, 0, 1, 'float32', requireRng(options, 'MaskVae').seed());
        z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), noise));
      }
      return { logits: this.decoder.forward(z, options), mu, logvar };
    });
  }

  /** The reconstruction logits alone (what `forward` returns, like every model's). */
  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    return this.reconstruct(x as tf.Tensor4D, options).logits;
  }
}
