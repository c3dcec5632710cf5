import * as tf from '@tensorflow/tfjs-core';
import { ENet, ENET_DEFAULTS } from '../../../nodes/segmentation/enet';
import { segmentationLoss } from '../../../nodes/segmentation/losses';
import { UNet } from '../../../nodes/segmentation/unet';
import type { NamedWeight } from '../../../nodes/nn/layers/module';
import type { ModelConfig, SegmentationModel } from '../../../nodes/nn/model';
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
  /** Σ |y| of those logits: the scale a summed rounding error is measured against (golden-steps.json predates it). */
  initialScale?: number;
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

/** Per weight, in order, of a gradient: [path, L2 norm, projection on a seeded direction]. */
export function gradientFigures(weights: readonly NamedWeight[], grads: tf.NamedTensorMap): StepFigures['gradients'] {
  return weights.map((w, i) => {
    const g = grads[w.variable.name];
    return [w.path, tf.tidy(() => tf.norm(g).dataSync()[0]), projection(g, 1000 + i)];
  });
}

/**
 * A model as the figures see it: its trainable weights, the training-mode loss of step k (drawing
 * its randomness from seeds of its own, so that every backend sees the same), and an
 * evaluation-mode output.
 */
export interface Trainee {
  weights: NamedWeight[];
  loss(step: number): tf.Scalar;
  evaluate(): tf.Tensor;
  dispose(): void;
}

/** A segmentation network on a seeded batch of 32×32 images and random labels, trained with ce+dice. */
export function segmentationTrainee(model: SegmentationModel<ModelConfig>): Trainee {
  const x = tf.randomUniform([BATCH, SIZE, SIZE, 1], 0, 1, 'float32', 1);
  const y = tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([BATCH, SIZE, SIZE], 0, 4, 'float32', 2)), 'int32')) as tf.Tensor3D;
  return {
    weights: model.trainableWeights(),
    loss: (step) => segmentationLoss(model.forward(x, { training: true, rng: new Rng(100 + step) }) as tf.Tensor4D, y, 'ce+dice').loss,
    evaluate: () => model.forward(x, { training: false }),
    dispose: () => {
      tf.dispose([x, y]);
      model.dispose();
    },
  };
}

/** The figures of a trainee's evaluation output before and after STEPS Adam steps (lr 0.01), with its losses and first gradients. */
export function trainingFigures(trainee: Trainee): StepFigures {
  const { weights } = trainee;
  const adam = new Adam({ lr: 0.01 }, weights);
  const figuresOf = (output: tf.Tensor): [number, number] => {
    const figures: [number, number] = [tf.tidy(() => tf.sum(output).dataSync()[0]), projection(output, 7)];
    output.dispose();
    return figures;
  };
  const initial = trainee.evaluate();
  const initialScale = tf.tidy(() => tf.sum(tf.abs(initial)).dataSync()[0]);
  const initialLogits = figuresOf(initial);
  const losses: number[] = [];
  let gradients: StepFigures['gradients'] = [];
  for (let step = 0; step < STEPS; step++) {
    const { value, grads } = tf.variableGrads(
      () => trainee.loss(step),
      weights.map((w) => w.variable),
    );
    losses.push(value.dataSync()[0]);
    if (step === 0) gradients = gradientFigures(weights, grads);
    adam.apply(weights.map((w) => grads[w.variable.name]));
    tf.dispose([value, ...Object.values(grads)]);
  }
  const figures: StepFigures = { initialLogits, initialScale, losses, gradients, logits: figuresOf(trainee.evaluate()) };
  adam.dispose();
  trainee.dispose();
  return figures;
}

export function stepFigures(name: GoldenNetwork): StepFigures {
  return trainingFigures(segmentationTrainee(GOLDEN_NETWORKS[name]()));
}

/** The weights whose gradient figures differ from `want`'s by more than `relative` of its norm plus `floor`, as "path norm projection (want …)". */
export function gradientsOff(got: StepFigures['gradients'], want: StepFigures['gradients'], relative: number, floor: number): string[] {
  const names = (figures: StepFigures['gradients']) => figures.map(([weight]) => weight).join(', ');
  if (names(got) !== names(want)) return [`other weights: ${names(got)} (want ${names(want)})`];
  return got.flatMap(([weight, norm, proj], i) => {
    const [, wantNorm, wantProj] = want[i];
    const tolerance = relative * wantNorm + floor;
    return Math.abs(norm - wantNorm) > tolerance || Math.abs(proj - wantProj) > tolerance ? [`${weight} ${norm} ${proj} (want ${wantNorm} ${wantProj})`] : [];
  });
}
