import * as tf from '@tensorflow/tfjs-core';
import { hasJsKernels } from '../memory';
import { ADAM_STEP, type AdamStepAttrs } from './kernels';

/**
 * Applies one Adam step to `weights` (flat moments m and v over all of them, in order):
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  θ ← θ − (lr/(1−β1^t))·m / (√(v/(1−β2^t)) + ε)
 * On wasm and cpu one kernel (math.ts) gives the composition's values bit for bit; elsewhere
 * (webgpu) the composition runs: a dozen ops over the concatenated gradients, then one subtraction
 * per weight.
 */
export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1-based step number. */
  t: number;
}

/** Tests compare the kernel with the composition other backends run. */
let composedOnly = false;
export function useComposedAdam(on: boolean): void {
  composedOnly = on;
}

export function adamUpdate(weights: tf.Variable[], grads: tf.Tensor[], m: tf.Variable, v: tf.Variable, hyper: AdamHyper): void {
  const { lr, beta1, beta2, epsilon, t } = hyper;
  const stepSize = lr / (1 - beta1 ** t);
  tf.tidy(() => {
    if (composedOnly || !hasJsKernels(tf.getBackend()) || grads.some((g) => g.dtype !== 'float32')) {
      composed(weights, grads, m, v, hyper, stepSize);
      return;
    }
    const f = Math.fround;
    const attrs: AdamStepAttrs = {
      count: weights.length,
      beta1: f(beta1),
      oneMinusBeta1: f(1 - beta1),
      beta2: f(beta2),
      oneMinusBeta2: f(1 - beta2),
      stepSize: f(stepSize),
      biasCorrection2: f(1 - beta2 ** t),
      epsilon: f(epsilon),
    };
    const inputs: tf.NamedTensorMap = { m, v };
    weights.forEach((w, k) => {
      inputs[`w${k}`] = w;
      inputs[`g${k}`] = grads[k];
    });
    const [mNext, vNext, ...next] = tf.engine().runKernel(ADAM_STEP, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    m.assign(mNext);
    v.assign(vNext);
    weights.forEach((w, k) => w.assign(next[k]));
  });
}

function composed(weights: tf.Variable[], grads: tf.Tensor[], m: tf.Variable, v: tf.Variable, hyper: AdamHyper, stepSize: number): void {
  const { beta1, beta2, epsilon, t } = hyper;
  const g = tf.concat(grads.map((grad) => tf.reshape(grad, [-1])));
  const mNext = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
  const vNext = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
  m.assign(mNext);
  v.assign(vNext);
  const denominator = tf.add(tf.sqrt(tf.div(vNext, 1 - beta2 ** t)), epsilon);
  const updates = tf.split(
    tf.div(tf.mul(mNext, stepSize), denominator),
    weights.map((w) => w.size),
  );
  weights.forEach((w, i) => w.assign(tf.sub(w, tf.reshape(updates[i], w.shape))));
}
