import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../models/layers/module';

export interface AdamArgs {
  lr: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8 (PyTorch's); tfjs would otherwise take the backend's epsilon, which differs by backend. */
  epsilon?: number;
}

/** tf.train.adam whose learning rate a schedule can change between epochs. */
export class Adam extends tf.AdamOptimizer {
  constructor(readonly args: AdamArgs) {
    super(args.lr, args.beta1 ?? 0.9, args.beta2 ?? 0.999, args.epsilon ?? 1e-8);
  }

  get lr(): number {
    return this.learningRate;
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  /**
   * Restores a checkpoint's state. tfjs recomputes the bias-correction powers beta^(t+1) with a pow
   * kernel, while training reaches them by t float32 multiplications; the two differ in the last
   * bits, so a resumed run drifts from an uninterrupted one. Redo the multiplications instead
   * (float32 products are correctly rounded, so Math.fround reproduces the backend's exactly).
   */
  override async setWeights(weightValues: Parameters<tf.AdamOptimizer['setWeights']>[0]): Promise<void> {
    await super.setWeights(weightValues);
    // accBeta1/accBeta2 are private in tfjs's typings; their names are stable across tfjs 4.
    const state = this as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    const power = (beta: number): number => {
      let acc = Math.fround(beta);
      for (let t = 0; t < this.iterations; t++) acc = Math.fround(acc * Math.fround(beta));
      return acc;
    };
    tf.tidy(() => {
      state.accBeta1.assign(tf.scalar(power(this.beta1)));
      state.accBeta2.assign(tf.scalar(power(this.beta2)));
    });
  }
}

/**
 * One optimisation step: gradients of `loss` with respect to `weights` (trainable only), applied by
 * `optimizer`. Returns the loss; the gradients are disposed. Gradients are always passed in the
 * same order, which is what Adam's moment slots (indexed by position) and checkpoints rely on.
 */
export function minimize(optimizer: Adam, weights: NamedWeight[], loss: () => tf.Scalar): tf.Scalar {
  const variables = weights.map((w) => w.variable);
  const { value, grads } = tf.variableGrads(loss, variables);
  optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] })));
  tf.dispose(Object.values(grads));
  return value;
}
