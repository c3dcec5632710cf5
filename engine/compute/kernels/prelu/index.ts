import * as tf from '@tensorflow/tfjs-core';
import { replaceKernels } from '../replace-kernels';
import { preluGradConfig } from './gradient';
import { PRELU_KERNELS } from './kernels';

/** Registers the fused PReLU gradient (after tfjs's gradients are registered). Idempotent. */
export function registerPreluGradient(): void {
  replaceKernels(PRELU_KERNELS);
  const stock = tf.getGradient(tf.Prelu);
  if (stock === undefined) throw new Error('the stock Prelu gradient must be registered first');
  if ((stock as { fused?: true }).fused === true) return;
  tf.registerGradient(preluGradConfig(stock));
}
