import type * as TF from '@tensorflow/tfjs-core';
import { registerDilatedConvGradient } from './dilated-conv-gradient';

/**
 * Registers tfjs-core's gradient functions, plus cardigan's dilated-convolution gradient. The
 * CommonJS bundle of tfjs-core that Node loads registers no gradients (only its ES-module build
 * does, which Node and jest cannot require), so tf.grad fails with "gradient function not found".
 * tfjs-layers' bundle registers all of core's gradients as it loads, as the @tensorflow/tfjs union
 * package does; layers is the smaller of the two. Idempotent.
 */
export function registerGradients(): void {
  require('@tensorflow/tfjs-layers');
  registerDilatedConvGradient(require('@tensorflow/tfjs-core') as typeof TF);
}
