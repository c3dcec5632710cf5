import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../training/rng';
import { initKernel, type KernelInit } from './init';
import { Module } from './module';

export interface DenseArgs {
  inFeatures: number;
  outFeatures: number;
  /** Default true. */
  useBias?: boolean;
  /** Default `glorot-uniform` (Keras's choice for dense layers). */
  kernelInit?: KernelInit;
}

/** Fully connected layer on [N, inFeatures] tensors, kernel [in, out] (PyTorch's nn.Linear, transposed). */
export class Dense extends Module {
  readonly kernel: tf.Variable;
  readonly bias?: tf.Variable;

  constructor(
    readonly config: DenseArgs,
    rng: Rng,
  ) {
    super();
    const { inFeatures, outFeatures } = config;
    this.kernel = this.addWeight('kernel', initKernel(config.kernelInit ?? 'glorot-uniform', [inFeatures, outFeatures], inFeatures, outFeatures, rng));
    if (config.useBias ?? true) this.bias = this.addWeight('bias', tf.zeros([outFeatures]));
  }

  protected call(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.config.inFeatures) {
      throw new Error(`Dense: expected [N, ${this.config.inFeatures}], got [${x.shape.join(', ')}]`);
    }
    const y = tf.matMul(x as tf.Tensor2D, this.kernel as tf.Tensor2D);
    return this.bias === undefined ? y : tf.add(y, this.bias);
  }
}
