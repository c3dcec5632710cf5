import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../training/rng';
import { initKernel, KernelInit } from './init';
import { Module } from './module';

export interface Conv2dArgs {
  inChannels: number;
  outChannels: number;
  /** Square size, or [rows, cols] for asymmetric kernels such as ENet's 5×1 and 1×5. */
  kernelSize: number | [number, number];
  /** Default 1. */
  stride?: number;
  /** `same` keeps the size (divided by the stride); `valid` does not pad. Default `same`. */
  padding?: 'same' | 'valid';
  /** Atrous rate (ENet's dilated bottlenecks). Default 1. */
  dilation?: number;
  /** Default true; leave it off before batch norm, whose mean subtraction cancels a bias. */
  useBias?: boolean;
  /** Default `he-normal`. */
  kernelInit?: KernelInit;
}

/** 2-D convolution over NHWC tensors, with a kernel of shape [kh, kw, in, out]. */
export class Conv2d extends Module {
  readonly kernel: tf.Variable;
  readonly bias?: tf.Variable;
  private readonly kernelSize: [number, number];

  constructor(readonly config: Conv2dArgs, rng: Rng) {
    super();
    const { inChannels, outChannels } = config;
    this.kernelSize = typeof config.kernelSize === 'number' ? [config.kernelSize, config.kernelSize] : config.kernelSize;
    const [kh, kw] = this.kernelSize;
    const init = config.kernelInit ?? 'he-normal';
    this.kernel = this.addWeight('kernel', initKernel(init, [kh, kw, inChannels, outChannels], kh * kw * inChannels, kh * kw * outChannels, rng));
    if (config.useBias ?? true) this.bias = this.addWeight('bias', tf.zeros([outChannels]));
  }

  protected call(x: tf.Tensor): tf.Tensor {
    const stride = this.config.stride ?? 1;
    const padding = this.config.padding ?? 'same';
    const dilation = this.config.dilation ?? 1;
    const x4 = x as tf.Tensor4D;
    const y =
      dilation === 1
        ? tf.conv2d(x4, this.kernel as tf.Tensor4D, stride, padding)
        : atrousConv2d(x4, this.kernel as tf.Tensor4D, dilation, this.kernelSize, padding, stride);
    return this.bias === undefined ? y : tf.add(y, this.bias);
  }
}

/**
 * Dilated convolution written as space-to-batch → plain convolution → batch-to-space, the way
 * TensorFlow's atrous_conv2d does it. tfjs's Conv2D gradient refuses dilations > 1, while all three
 * steps here have gradients on every backend.
 */
function atrousConv2d(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  rate: number,
  [kh, kw]: [number, number],
  padding: 'same' | 'valid',
  stride: number,
): tf.Tensor4D {
  if (stride !== 1) throw new Error('Conv2d: a dilated convolution must have stride 1');
  if (padding !== 'same') throw new Error('Conv2d: a dilated convolution supports padding "same" only');
  const [, h, w] = x.shape;
  // Only the centre tap of a kernel whose dilated reach exceeds the image ever sees non-zero input.
  if (rate >= h && rate >= w) {
    const centre = tf.slice(kernel, [(kh - 1) / 2, (kw - 1) / 2, 0, 0], [1, 1, -1, -1]);
    return tf.conv2d(x, centre as tf.Tensor4D, 1, 'valid');
  }
  const padRows = rate * (kh - 1);
  const padCols = rate * (kw - 1);
  const top = Math.floor(padRows / 2);
  const left = Math.floor(padCols / 2);
  // Pad the far side further so both padded sizes are multiples of the rate.
  const extraRows = (rate - ((h + padRows) % rate)) % rate;
  const extraCols = (rate - ((w + padCols) % rate)) % rate;
  const batched = tf.spaceToBatchND(x, [rate, rate], [
    [top, padRows - top + extraRows],
    [left, padCols - left + extraCols],
  ]);
  const convolved = tf.conv2d(batched as tf.Tensor4D, kernel, 1, 'valid');
  return tf.batchToSpaceND(convolved, [rate, rate], [
    [0, extraRows],
    [0, extraCols],
  ]) as tf.Tensor4D;
}

