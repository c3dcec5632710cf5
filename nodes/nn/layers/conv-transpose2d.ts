import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../training/rng';
import { initKernel, type KernelInit } from './init';
import { Module } from './module';

export interface ConvTranspose2dArgs {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride: number;
  /** `same`: output = input × stride; `valid`: (input − 1) × stride + kernel. Default `same`. */
  padding?: 'same' | 'valid';
  /** Default true. */
  useBias?: boolean;
  /** Default `he-normal`. */
  kernelInit?: KernelInit;
}

/** Transposed ("full") convolution over NHWC tensors; kernel [k, k, out, in] as tfjs expects. */
export class ConvTranspose2d extends Module {
  readonly kernel: tf.Variable;
  readonly bias?: tf.Variable;

  constructor(
    readonly config: ConvTranspose2dArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels, kernelSize: k } = config;
    const init = config.kernelInit ?? 'he-normal';
    this.kernel = this.addWeight('kernel', initKernel(init, [k, k, outChannels, inChannels], k * k * inChannels, k * k * outChannels, rng));
    if (config.useBias ?? true) this.bias = this.addWeight('bias', tf.zeros([outChannels]));
  }

  protected call(x: tf.Tensor): tf.Tensor {
    const { stride, kernelSize, outChannels } = this.config;
    const padding = this.config.padding ?? 'same';
    const [n, h, w] = x.shape;
    const size = (s: number) => (padding === 'same' ? s * stride : (s - 1) * stride + kernelSize);
    const y = tf.conv2dTranspose(x as tf.Tensor4D, this.kernel as tf.Tensor4D, [n, size(h), size(w), outChannels], stride, padding);
    return this.bias === undefined ? y : tf.add(y, this.bias);
  }
}
