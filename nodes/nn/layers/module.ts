import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../training/rng';

/** What every forward pass is told. */
export interface ForwardOptions {
  /** Batch statistics and dropout when true; running statistics and no dropout when false. */
  training: boolean;
  /** Source of dropout masks and other training-time randomness; required when training. */
  rng?: Rng;
}

/** One weight of a model with its path in the module tree (`encoder1/conv1/kernel`). */
export interface NamedWeight {
  path: string;
  variable: tf.Variable;
  /** False for state that is updated but not learnt (batch-norm running statistics). */
  trainable: boolean;
}

/**
 * The base of every layer, block and model: a tree of named children and weights, created once in
 * the constructor, and a forward pass computed inside `tf.tidy` so that only the output survives.
 *
 * Weights are plain `tf.Variable`s (see nodes/nn/README.md for why not tfjs-layers). Their
 * order in `weights()` is the construction order, which is what save/load and the optimiser rely on.
 */
export abstract class Module<In = tf.Tensor, Out extends tf.TensorContainer = tf.Tensor> {
  private readonly ownWeights: NamedWeight[] = [];
  private readonly children: Array<{ name: string; module: Module<never, tf.TensorContainer> }> = [];
  private readonly names = new Set<string>();

  /** Runs the layer; intermediate tensors are disposed, the output is kept. */
  forward(input: In, options: ForwardOptions): Out {
    return tf.tidy(() => this.call(input, options));
  }

  protected abstract call(input: In, options: ForwardOptions): Out;

  /** Registers a weight; `initial` is adopted (not copied) as the variable's value. */
  protected addWeight(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    this.claim(name);
    const variable = tf.variable(initial, trainable);
    initial.dispose();
    this.ownWeights.push({ path: name, variable, trainable });
    return variable;
  }

  protected addChild<M extends Module<never, tf.TensorContainer>>(name: string, module: M): M {
    this.claim(name);
    this.children.push({ name, module });
    return module;
  }

  /** Every weight of this module and its children, depth first in construction order. */
  weights(): NamedWeight[] {
    const own = this.ownWeights.map((w) => ({ ...w }));
    const nested = this.children.flatMap(({ name, module }) => module.weights().map((w) => ({ ...w, path: `${name}/${w.path}` })));
    return [...own, ...nested];
  }

  trainableWeights(): NamedWeight[] {
    return this.weights().filter((w) => w.trainable);
  }

  /** Number of scalars in trainable weights (what papers call the parameter count). */
  countParams(): number {
    return this.trainableWeights().reduce((sum, w) => sum + w.variable.size, 0);
  }

  dispose(): void {
    for (const w of this.weights()) w.variable.dispose();
  }

  private claim(name: string): void {
    if (name.includes('/')) throw new Error(`module part name "${name}" must not contain "/"`);
    if (this.names.has(name)) throw new Error(`module part "${name}" is defined twice`);
    this.names.add(name);
  }
}

/** Throws the error a training forward pass without randomness deserves. */
export function requireRng(options: ForwardOptions, who: string): Rng {
  if (options.rng === undefined) throw new Error(`${who}: a training forward pass needs options.rng`);
  return options.rng;
}
