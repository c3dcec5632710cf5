import * as tf from '@tensorflow/tfjs-core';
import { hasJsKernels } from '../memory';
import { PRELU_GRAD } from './kernels';

/**
 * Replaces tfjs's gradient of the Prelu kernel where cardigan's fused kernel applies (wasm and cpu,
 * float32, slopes per last-axis channel or a single one: ENet's 67 PReLUs), keeping the stock
 * gradient everywhere else (webgpu, other slope shapes), which it wraps.
 */
export function preluGradConfig(stock: tf.GradConfig): tf.GradConfig & { fused: true } {
  return {
    ...stock,
    fused: true,
    gradFunc: (dy, saved, attrs) => {
      const [x, alpha] = saved;
      const upstream = Array.isArray(dy) ? dy[0] : dy;
      const channels = x.shape[x.rank - 1];
      const fits = alpha.rank <= 1 && (alpha.size === 1 || alpha.size === channels) && x.dtype === 'float32' && alpha.dtype === 'float32';
      if (!hasJsKernels(tf.getBackend()) || !fits) return stock.gradFunc(dy, saved, attrs);
      // Computed here, not in the closures: each closure runs in its own tidy, which would dispose the
      // result it does not return.
      const [dx, dAlpha] = tf.engine().runKernel(PRELU_GRAD, { dy: upstream, x, alpha }) as tf.Tensor[];
      return { x: () => dx, alpha: () => dAlpha };
    },
  };
}
