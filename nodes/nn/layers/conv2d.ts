import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../training/rng';
import { initKernel, type KernelInit } from './init';
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

  constructor(
    readonly config: Conv2dArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels } = config;
    const [kh, kw] = typeof config.kernelSize === 'number' ? [config.kernelSize, config.kernelSize] : config.kernelSize;
    const init = config.kernelInit ?? 'he-normal';
    this.kernel = this.addWeight('kernel', initKernel(init, [kh, kw, inChannels, outChannels], kh * kw * inChannels, kh * kw * outChannels, rng));
    if (config.useBias ?? true) this.bias = this.addWeight('bias', tf.zeros([outChannels]));
  }

  protected call(x: tf.Tensor): tf.Tensor {
    const stride = this.config.stride ?? 1;
    const padding = this.config.padding ?? 'same';
    const dilation = this.config.dilation ?? 1;
    // Dilated gradients come from engine/compute/kernels/dilated-conv-gradient.ts (tfjs's own refuses them).
    const y = tf.conv2d(x as tf.Tensor4D, this.kernel as tf.Tensor4D, stride, padding, 'NHWC', dilation);
    return this.bias === undefined ? y : tf.add(y, this.bias);
  }
}
