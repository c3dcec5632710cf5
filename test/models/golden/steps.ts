import * as tf from '@tensorflow/tfjs-core';
import { ENet, ENET_DEFAULTS } from '../../../nodes/segmentation/enet';
import { segmentationLoss } from '../../../nodes/segmentation/losses';
import { UNet } from '../../../nodes/segmentation/unet';
import type { SegmentationModel } from '../../../nodes/nn/model';
import type { ModelConfig } from '../../../nodes/nn/model';
import { Adam } from '../../../nodes/nn/training/optimizer';
import { Rng } from '../../../nodes/nn/training/rng';

/**
 * The first training steps of the U-Net and the ENet at a tiny size, reduced to a few numbers per
 * weight, so that a kernel rewrite can be checked against what the code computed before it: the
 * golden file (golden-steps.json) was written by record.ts before the kernels it guards changed.
 */
export interface StepFigures {
  /** Evaluation-mode logits of the untrained model (initial running statistics): [Σ, Σ y·r]. */
  initialLogits: [number, number];
  /** Loss (cross-entropy + Dice) of each of the first steps, Adam applied after each. */
  losses: number[];
  /** Per trainable weight, in model order, of the first step's gradient: [L2 norm, Σ g·r] for a seeded r. */
  gradients: Array<[string, number, number]>;
  /** Evaluation-mode logits after the steps (running statistics): [Σ, Σ y·r]. */
  logits: [number, number];
}

export const GOLDEN_NETWORKS = {
  unet: () => new UNet({ inChannels: 1, classes: 4, initChannels: 8, seed: 1 }),
  enet: () => new ENet({ inChannels: 1, classes: 4, ...ENET_DEFAULTS, initChannels: 8, seed: 1 }),
} as const;

export type GoldenNetwork = keyof typeof GOLDEN_NETWORKS;

const SIZE = 32;
const BATCH = 2;
const STEPS = 3;

/** Σ t·r for a fixed pseudo-random r of t's size (a projection that sees direction, not only size). */
function projection(t: tf.Tensor, seed: number): number {
  return tf.tidy(() => tf.sum(tf.mul(t, tf.randomUniform(t.shape, -1, 1, 'float32', seed))).dataSync()[0]);
}

export function stepFigures(name: GoldenNetwork): StepFigures {
  const model: SegmentationModel<ModelConfig> = GOLDEN_NETWORKS[name]();
  const weights = model.trainableWeights();
  const adam = new Adam({ lr: 0.01 }, weights);
  const x = tf.randomUniform([BATCH, SIZE, SIZE, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([BATCH, SIZE, SIZE], 0, 4, 'float32', 2)), 'int32')) as tf.Tensor3D;
  const initial = model.forward(x, { training: false });
  const initialLogits: [number, number] = [tf.tidy(() => tf.sum(initial).dataSync()[0]), projection(initial, 7)];
  initial.dispose();
  const losses: number[] = [];
  let gradients: StepFigures['gradients'] = [];
  for (let step = 0; step < STEPS; step++) {
    const rng = new Rng(100 + step);
    const { value, grads } = tf.variableGrads(
      () => segmentationLoss(model.forward(x, { training: true, rng }) as tf.Tensor4D, y, 'ce+dice').loss,
      weights.map((w) => w.variable),
    );
    losses.push(value.dataSync()[0]);
    if (step === 0) {
      gradients = weights.map((w, i) => {
        const g = grads[w.variable.name];
        return [w.path, tf.tidy(() => tf.norm(g).dataSync()[0]), projection(g, 1000 + i)];
      });
    }
    adam.apply(weights.map((w) => grads[w.variable.name]));
    tf.dispose([value, ...Object.values(grads)]);
  }
  const logits = model.forward(x, { training: false });
  const figures: StepFigures = { initialLogits, losses, gradients, logits: [tf.tidy(() => tf.sum(logits).dataSync()[0]), projection(logits, 7)] };
  tf.dispose([x, y, logits]);
  adam.dispose();
  model.dispose();
  return figures;
}
