import * as tf from '@tensorflow/tfjs-core';
import { Conv2d } from '../nn/layers/conv2d';
import type { ForwardOptions } from '../nn/layers/module';
import type { Rng } from '../nn/training/rng';
import { SpectralNorm } from './spectral-norm';

export interface SpadeConvArgs {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  /** Default 1. */
  stride?: number;
  /**
   * Zeros added on every side, as PyTorch's `padding`. NVlabs pads 4×4 stride-2 convolutions by 2
   * and 3×3 stride-2 ones by 1, which TensorFlow's `same` would pad differently (one side only).
   */
  padding: number;
  /** Default true. */
  useBias?: boolean;
  spectralNorm: boolean;
}

/** Negative slope of every leaky ReLU in NVlabs/SPADE (generator blocks, discriminator, encoder). */
export const LEAKY_SLOPE = 0.2;

/** NVlabs/SPADE's `init_type xavier` with `init_variance 0.02`. */
const XAVIER_GAIN = 0.02;

/**
 * A convolution as NVlabs/SPADE builds them: explicit symmetric padding, optional spectral norm.
 *
 * Initialisation follows what NVlabs's code does in effect: plain convolutions get Xavier-normal
 * weights with gain 0.02; spectrally normalised ones keep PyTorch's default uniform init (NVlabs's
 * init writes into a derived copy of the weight, not into the parameter), whose scale does not
 * matter since σ divides it out. Biases start at zero.
 */
export class SpadeConv extends Conv2d {
  private readonly sn?: SpectralNorm;
  private readonly pad: number;

  constructor(
    readonly args: SpadeConvArgs,
    rng: Rng,
  ) {
    super(
      {
        inChannels: args.inChannels,
        outChannels: args.outChannels,
        kernelSize: args.kernelSize,
        stride: args.stride,
        padding: 'valid',
        useBias: args.useBias,
        kernelInit: 'glorot-uniform',
      },
      rng,
    );
    const { inChannels, outChannels, kernelSize: k } = args;
    this.pad = args.padding;
    if (args.spectralNorm) {
      this.sn = this.addChild('sn', new SpectralNorm({ rows: k * k * inChannels, cols: outChannels }, rng));
    } else {
      const std = XAVIER_GAIN * Math.sqrt(2 / (k * k * (inChannels + outChannels)));
      tf.tidy(() => this.kernel.assign(normalTensor(this.kernel.shape, std, rng)));
    }
  }

  // `options` is optional only to match Conv2d's signature; Module.forward always passes it.
  protected override call(x: tf.Tensor, options?: ForwardOptions): tf.Tensor {
    const kernel = this.sn === undefined ? (this.kernel as tf.Tensor4D) : this.sn.normalise(this.kernel as tf.Tensor4D, options?.training ?? false);
    const p = this.pad;
    const padded =
      p === 0
        ? (x as tf.Tensor4D)
        : tf.pad(x as tf.Tensor4D, [
            [0, 0],
            [p, p],
            [p, p],
            [0, 0],
          ]);
    const y = tf.conv2d(padded, kernel, this.args.stride ?? 1, 'valid');
    return this.bias === undefined ? y : tf.add(y, this.bias);
  }
}

/** A fully connected layer as a 1×1 convolution of [N, 1, 1, in] (weights [1, 1, in, out]). */
export function linear(conv: SpadeConv, x: tf.Tensor2D, options: ForwardOptions): tf.Tensor2D {
  const [n, features] = x.shape;
  return tf.tidy(() => tf.reshape(conv.forward(tf.reshape(x, [n, 1, 1, features]), options), [n, conv.args.outChannels]) as tf.Tensor2D);
}

/**
 * Seeded N(0, std²) values by the Box–Muller transform of two seeded uniform tensors. tfjs's own
 * seeded randomNormal draws about a million values a second, which made a paper-sized generator
 * take most of a minute to build.
 */
function normalTensor(shape: number[], std: number, rng: Rng): tf.Tensor {
  return tf.tidy(() => {
    const radius = tf.sqrt(tf.mul(tf.log(tf.sub(1, tf.randomUniform(shape, 0, 1, 'float32', rng.seed()))), -2));
    const angle = tf.mul(tf.randomUniform(shape, 0, 1, 'float32', rng.seed()), 2 * Math.PI);
    return tf.mul(tf.mul(radius, tf.cos(angle)), std);
  });
}
