import * as tf from '@tensorflow/tfjs-core';
import { adamUpdate } from '../../../engine/compute';
import type { NamedWeight } from '../layers/module';
import type { NamedTensor } from '../weight-files';

export interface AdamArgs {
  lr: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8 (PyTorch's; tfjs would take the backend's epsilon, which differs by backend). */
  epsilon?: number;
}

/**
 * Adam (Kingma & Ba 2015) with the update rule of tf.train.adam and torch.optim.Adam:
 *   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  θ ← θ − lr · (m / (1−β1^t)) / (√(v / (1−β2^t)) + ε)
 * applied to all of a model's weights at once. tf.train.adam runs ~16 small ops per weight tensor, and
 * on the wasm backend the per-op cost dominates small models: ENet's 325 weight tensors made Adam
 * half of a training step's 9,700 kernels. Here the moments live in two flat buffers, and the
 * update (engine/compute's adamUpdate) is one kernel on wasm and cpu, a dozen ops over all weights
 * plus one subtraction per weight elsewhere.
 *
 * The optimiser is bound to its weights at construction, in a fixed order, which is also the
 * layout of its checkpointed state.
 */
export class Adam {
  readonly variables: tf.Variable[];
  private readonly names: string[];
  private readonly sizes: number[];
  private readonly total: number;
  private moments?: { m: tf.Variable; v: tf.Variable };
  private iteration = 0;
  private rate: number;

  constructor(
    readonly args: AdamArgs,
    weights: NamedWeight[],
  ) {
    this.variables = weights.map((w) => w.variable);
    this.names = weights.map((w) => w.path);
    this.sizes = this.variables.map((v) => v.size);
    this.total = this.sizes.reduce((a, b) => a + b, 0);
    this.rate = args.lr;
  }

  get lr(): number {
    return this.rate;
  }

  setLearningRate(lr: number): void {
    this.rate = lr;
  }

  /** Optimisation steps taken so far. */
  get iterations(): number {
    return this.iteration;
  }

  /** Applies one step; `grads` are in the order of the weights given at construction. */
  apply(grads: tf.Tensor[]): void {
    if (grads.length !== this.variables.length) throw new Error(`Adam: ${grads.length} gradients for ${this.variables.length} weights`);
    // biome-ignore lint/complexity/useIndexOf: typed Tensor[], but a gradient map's lookup gives undefined for a weight the loss does not use
    const missing = grads.findIndex((g) => g === undefined);
    if (missing >= 0) throw new Error(`Adam: weight "${this.names[missing]}" got no gradient (is it used in the loss?)`);
    const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = this.args;
    const moments = this.ensureMoments();
    this.iteration++;
    adamUpdate(this.variables, grads, moments.m, moments.v, { lr: this.rate, beta1, beta2, epsilon, t: this.iteration });
  }

  /** The state to checkpoint: iteration count and both moment buffers (copies). */
  state(): NamedTensor[] {
    const moments = this.ensureMoments();
    return [
      { name: 'iteration', tensor: tf.scalar(this.iteration, 'int32') },
      { name: 'm', tensor: tf.clone(moments.m) },
      { name: 'v', tensor: tf.clone(moments.v) },
    ];
  }

  /** Restores what `state()` returned; `origin` names the file in errors. */
  restore(state: tf.NamedTensorMap, origin: string): void {
    const { iteration, m, v } = state;
    if (iteration === undefined || m === undefined || v === undefined) throw new Error(`${origin}: optimiser state needs iteration, m and v`);
    if (m.size !== this.total || v.size !== this.total) {
      throw new Error(`${origin}: optimiser state holds ${m.size} moments, the model has ${this.total} trainable values`);
    }
    const moments = this.ensureMoments();
    moments.m.assign(tf.reshape(m, [this.total]));
    moments.v.assign(tf.reshape(v, [this.total]));
    this.iteration = iteration.dataSync()[0];
  }

  dispose(): void {
    tf.dispose([this.moments?.m, this.moments?.v].filter((x): x is tf.Variable => x !== undefined));
    this.moments = undefined;
  }

  private ensureMoments(): { m: tf.Variable; v: tf.Variable } {
    this.moments ??= tf.tidy(() => ({ m: tf.variable(tf.zeros([this.total]), false), v: tf.variable(tf.zeros([this.total]), false) }));
    return this.moments;
  }
}

/**
 * One optimisation step: gradients of `loss` with respect to the optimiser's weights, applied.
 * Returns the loss; the gradients are disposed.
 */
export function minimize(optimizer: Adam, loss: () => tf.Scalar): tf.Scalar {
  const { value, grads } = tf.variableGrads(loss, optimizer.variables);
  try {
    optimizer.apply(optimizer.variables.map((v) => grads[v.name]));
  } finally {
    tf.dispose(Object.values(grads));
  }
  return value;
}
