import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset-artifact';
import type { NamedWeight } from '../nn/layers/module';
import type { StepPosition, TrainingTask } from '../nn/training/loop';
import { Adam, minimize } from '../nn/training/optimizer';
import type { Rng } from '../nn/training/rng';
import type { LrSchedule } from '../nn/training/schedule';
import { gatherBatch } from './batch';
import type { SpadeDiscriminator } from './discriminator';
import { reparameterize, type SpadeEncoder } from './encoder';
import type { SpadeGenerator } from './generator';
import { featureMatching, hingeFake, hingeGenerator, hingeReal, klDivergence, splitBatch } from './losses';
import type { Vgg19 } from './vgg19';

export interface SpadeNetworks {
  generator: SpadeGenerator;
  discriminator: SpadeDiscriminator;
  /** The VAE head; its weights train with the generator's optimiser, as in NVlabs. */
  encoder?: SpadeEncoder;
  /** Frozen VGG19 for the perceptual loss, when weights were given. */
  vgg?: Vgg19;
}

export interface SpadeOptimisation {
  lr: number;
  /** Two time-scale update rule: G at lr/2, D at 2·lr (NVlabs's default). */
  ttur: boolean;
  beta1: number;
  beta2: number;
  /** Epochs at the full rate before the linear decay to zero; null keeps it constant. */
  decayFrom: number | null;
  batchSize: number;
  flip: boolean;
  lambdaFeat: number;
  lambdaKl: number;
  lambdaVgg: number;
}

/** The losses `step` reports, in the order the progress bar shows them. */
export const LOSS_NAMES = ['G_hinge', 'G_feat', 'G_vgg', 'G_kl', 'D_real', 'D_fake'] as const;

export interface SpadeTask extends TrainingTask {
  /** The losses this configuration reports (VGG and KL only when they are on). */
  lossNames: string[];
  /** Awaits `pause` between the generator and the discriminator updates (see TrainingTask.step). */
  step(indices: number[], rng: Rng, where: StepPosition, pause: () => Promise<void>): Promise<Record<string, tf.Scalar>>;
  /** What `step` minimises, on one batch: to differentiate without updating anything (backend agreement checks). */
  objectives: SpadeObjectives;
  dispose(): void;
}

/** The generator's total loss, and the discriminator's on a given fake; `keep` sees each named term. */
export interface SpadeObjectives {
  generator(segmap: tf.Tensor4D, real: tf.Tensor4D, rng: Rng, keep?: KeepTerm): tf.Scalar;
  discriminator(segmap: tf.Tensor4D, fake: tf.Tensor4D, real: tf.Tensor4D, keep?: KeepTerm): tf.Scalar;
}

type KeepTerm = (name: string, value: tf.Scalar) => tf.Scalar;
const dropTerm: KeepTerm = (_, value) => value;

/**
 * One SPADE training step, as NVlabs's Pix2PixTrainer runs it: a generator step (hinge loss of the
 * fake against the discriminator, feature matching, VGG and KL terms when on), then a discriminator
 * step on a freshly generated, non-differentiated fake. Fake and real go through the discriminator
 * as one batch. Every forward pass is in training mode, so batch statistics and the spectral norms'
 * power iterations advance in both steps, as they do in PyTorch.
 */
export function spadeTask(nets: SpadeNetworks, data: Dataset, opt: SpadeOptimisation): SpadeTask {
  const { generator, discriminator, encoder, vgg } = nets;
  const [gLr, dLr] = opt.ttur ? [opt.lr / 2, opt.lr * 2] : [opt.lr, opt.lr];
  const schedule: LrSchedule = opt.decayFrom === null ? { kind: 'constant' } : { kind: 'linear-decay', from: opt.decayFrom };
  const gWeights: NamedWeight[] = [...generator.trainableWeights(), ...(encoder?.trainableWeights() ?? [])];
  const dWeights = discriminator.trainableWeights();
  const adam = (lr: number, weights: NamedWeight[]) => new Adam({ lr, beta1: opt.beta1, beta2: opt.beta2 }, weights);
  const optimizerG = adam(gLr, gWeights);
  const optimizerD = adam(dLr, dWeights);
  const lossNames = LOSS_NAMES.filter((name) => (name !== 'G_vgg' || vgg !== undefined) && (name !== 'G_kl' || encoder !== undefined));
  const training = { training: true };

  /** The generator's output for a batch, with the KL term of the style code when there is a VAE head. */
  const generate = (segmap: tf.Tensor4D, real: tf.Tensor4D, rng: Rng): { fake: tf.Tensor4D; kl?: tf.Scalar } => {
    if (encoder === undefined) return { fake: generator.forward({ segmap }, training) };
    const style = encoder.forward(real, training);
    const z = reparameterize(style, tf.randomNormal(style.mu.shape, 0, 1, 'float32', rng.seed()));
    return { fake: generator.forward({ segmap, z }, training), kl: tf.mul(klDivergence(style.mu, style.logvar), opt.lambdaKl) as tf.Scalar };
  };
  const discriminate = (segmap: tf.Tensor4D, fake: tf.Tensor4D, real: tf.Tensor4D) =>
    splitBatch(discriminator.forward(tf.concat([tf.concat([segmap, fake], 3), tf.concat([segmap, real], 3)], 0), training), fake.shape[0]);
  const objectives: SpadeObjectives = {
    generator: (segmap, real, rng, keep = dropTerm) =>
      tf.tidy(() => {
        const { fake, kl } = generate(segmap, real, rng);
        const [predFake, predReal] = discriminate(segmap, fake, real);
        const terms = [keep('G_hinge', hingeGenerator(predFake)), keep('G_feat', featureMatching(predFake, predReal, opt.lambdaFeat))];
        if (vgg !== undefined) terms.push(keep('G_vgg', tf.mul(vgg.loss(fake, real), opt.lambdaVgg) as tf.Scalar));
        if (kl !== undefined) terms.push(keep('G_kl', kl));
        return tf.addN(terms) as tf.Scalar;
      }),
    discriminator: (segmap, fake, real, keep = dropTerm) =>
      tf.tidy(() => {
        const [predFake, predReal] = discriminate(segmap, fake, real);
        return tf.add(keep('D_fake', hingeFake(predFake)), keep('D_real', hingeReal(predReal))) as tf.Scalar;
      }),
  };

  return {
    modules: { generator, discriminator, ...(encoder === undefined ? {} : { encoder }) },
    optimizers: { G: { optimizer: optimizerG, lr: gLr, schedule }, D: { optimizer: optimizerD, lr: dLr, schedule } },
    size: data.manifest.items.length,
    batchSize: opt.batchSize,
    lossNames,
    objectives,
    async step(indices, rng, _where, pause) {
      const flips = indices.map(() => opt.flip && rng.next() < 0.5);
      const { segmap, image: real } = gatherBatch(data, indices, flips);
      if (real === undefined) {
        segmap.dispose();
        throw new Error('train-spade: the training data has no images');
      }
      try {
        const losses: Record<string, tf.Scalar> = {};
        const keep = (name: string, value: tf.Scalar) => (losses[name] = tf.keep(value));

        const totalG = minimize(optimizerG, () => objectives.generator(segmap, real, rng, keep));
        totalG.dispose();
        try {
          await pause();
        } catch (error) {
          tf.dispose(Object.values(losses));
          throw error;
        }

        const fake = tf.tidy(() => generate(segmap, real, rng).fake);
        const totalD = minimize(optimizerD, () => objectives.discriminator(segmap, fake, real, keep));
        totalD.dispose();
        fake.dispose();
        return Object.fromEntries(lossNames.map((name) => [name, losses[name]]));
      } finally {
        tf.dispose([segmap, real]);
      }
    },
    dispose() {
      optimizerG.dispose();
      optimizerD.dispose();
    },
  };
}
