import * as tf from '@tensorflow/tfjs-core';
import { type ForwardOptions, Module } from '../nn/layers/module';
import type { Rng } from '../nn/training/rng';

export interface SpectralNormArgs {
  /** Rows of the kernel seen as a matrix: kh·kw·inChannels. */
  rows: number;
  /** Columns: outChannels. */
  cols: number;
}

/** PyTorch's `normalize` eps: a zero vector stays finite. */
const EPS = 1e-12;

/**
 * Spectral normalisation (Miyato et al. 2018) as torch.nn.utils.spectral_norm does it, which
 * NVlabs/SPADE uses: the kernel, seen as a matrix W, is divided by an estimate of its largest
 * singular value σ = uᵀWv. The singular vectors u and v are kept between calls as non-trainable
 * state (saved with the model) and refined by one power iteration per training forward pass;
 * evaluation reuses them unchanged. Gradients flow through W in both W and σ but not through u, v.
 *
 * Our kernels are [kh, kw, in, out]: reshaped to M = [kh·kw·in, out], PyTorch's W is Mᵀ up to a
 * permutation of its columns, which leaves the singular values unchanged. So u has `out` entries
 * and v has kh·kw·in, as in PyTorch.
 */
export class SpectralNorm extends Module<tf.Tensor4D, tf.Tensor4D> {
  readonly u: tf.Variable;
  readonly v: tf.Variable;

  constructor(
    readonly config: SpectralNormArgs,
    rng: Rng,
  ) {
    super();
    const random = (n: number) => tf.tidy(() => unit(tf.randomNormal([n, 1], 0, 1, 'float32', rng.seed())));
    this.u = this.addWeight('u', random(config.cols), false);
    this.v = this.addWeight('v', random(config.rows), false);
  }

  /** The kernel divided by its estimated spectral norm; `training` runs one power iteration first. */
  normalise(kernel: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return this.forward(kernel, { training });
  }

  /** σ as the next `normalise` call in evaluation mode would use it (a scalar the caller owns). */
  sigma(kernel: tf.Tensor4D): tf.Scalar {
    return tf.tidy(() => this.sigmaOf(this.matrix(kernel)));
  }

  protected call(kernel: tf.Tensor4D, options: ForwardOptions): tf.Tensor4D {
    const m = this.matrix(kernel);
    if (options.training) {
      // Assignment is not recorded on the gradient tape: u and v are constants to backprop,
      // exactly as PyTorch computes them under no_grad.
      const v = unit(tf.matMul(m, this.u));
      const u = unit(tf.matMul(m, v, true, false));
      this.v.assign(v);
      this.u.assign(u);
    }
    return tf.div(kernel, this.sigmaOf(m));
  }

  private matrix(kernel: tf.Tensor4D): tf.Tensor2D {
    const { rows, cols } = this.config;
    if (kernel.size !== rows * cols) throw new Error(`SpectralNorm: kernel [${kernel.shape.join(', ')}] is not ${rows}×${cols}`);
    return tf.reshape(kernel, [rows, cols]);
  }

  /** σ = vᵀ M u (= uᵀ W v with W = Mᵀ). */
  private sigmaOf(m: tf.Tensor2D): tf.Scalar {
    return tf.reshape(tf.matMul(tf.matMul(this.v, m, true, false), this.u), []) as tf.Scalar;
  }
}

/** x / max(‖x‖, eps), as torch.nn.functional.normalize. */
function unit(x: tf.Tensor): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x), EPS)) as tf.Tensor2D;
}
