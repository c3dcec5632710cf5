import * as tf from '@tensorflow/tfjs-core';
import type { NamedWeight } from '../models/layers/module';
import type { NamedTensor } from '../models/weight-files';

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
   * Restores a checkpoint's state. tfjs then recomputes the bias corrections β^(t+1) with `pow`,
   * while training keeps them as a running float32 product; the two differ in the last bits, which
   * made a resumed run drift from an uninterrupted one (seen with SPADE on wasm). Rebuild the
   * product exactly: a float32 multiplication is the correctly rounded double product.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    await super.setWeights(weightValues);
    const steps = this.iterations;
    const product = (beta: number) => {
      const b = Math.fround(beta);
      let acc = b;
      for (let i = 0; i < steps; i++) acc = Math.fround(acc * b);
      return acc;
    };
    const slots = this as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    tf.tidy(() => {
      slots.accBeta1.assign(tf.scalar(product(this.beta1)));
      slots.accBeta2.assign(tf.scalar(product(this.beta2)));
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
