import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../nodes/nn/training/rng';
import { gatherBatch } from '../../nodes/spade/batch';
import { SpadeDiscriminator } from '../../nodes/spade/discriminator';
import { SpadeEncoder } from '../../nodes/spade/encoder';
import { SpadeGenerator } from '../../nodes/spade/generator';
import { sampleImages } from '../../nodes/spade/sampler';
import { spadeTask } from '../../nodes/spade/spade-task';
import { gradientFigures, gradientsOff, type StepFigures } from '../models/golden/steps';
import { generatorArgs, spadeOptimisation } from '../spade/settings';
import { describeWith } from '../rig/tools/presence';
import { syntheticPairs } from '../spade/synthetic-pairs';
import { relativeError } from './compare-backends';
import { onWasmAndWebgpu } from './wasm-and-webgpu';

/**
 * SPADE on webgpu (SwiftShader standing in for a GPU) against wasm, as train-spade and generate
 * build it (batch norm in the SPADE layers, spectral norm on G, D and the VAE head), at the smallest
 * size it takes (32 px, ngf = ndf = 4, batch 2):
 * - generate's images from the untrained networks, with styles from the encoder and from N(0, 1);
 * - every weight's gradient of the generator's objective (G and E: hinge, feature matching, KL) and
 *   of the discriminator's, and the state those training passes leave (spectral norms' u and v after
 *   their power iterations, batch-norm running statistics);
 * - the losses of three training steps.
 * Tolerances as for the U-Net and ENet (webgpu-models.test.ts): float32 summed in other orders, so
 * 1e-4 on the images and the state, 5e-4 of a gradient's norm, then Adam's sign-like first updates
 * (β1 = 0 here, as in SPADE) for the later losses.
 */

/**
 * The style code's path into the generator: the encoder's layers, the linear map of z and head_0's
 * first convolution and SPADE layer. head_0 batch-normalises a 1×1 map over a batch of 2 (32 px),
 * where x̂ is ±1 whatever its input and the gradient through the statistics cancels to rounding;
 * webgpu lands 0.2–3 % from wasm there (cpu: 4e-6 on fc, 1–5 % on the encoder's first layers),
 * although each of these ops agrees with cpu to 1e-6 on its own.
 */
/**
 * The full-scale discriminator's first convolution: webgpu's gradient lands 1–3 % from wasm's,
 * where every later layer agrees to 5e-4 and each op, at these exact shapes, agrees with cpu to
 * 1e-6. Not understood yet; pinned here so that it cannot grow unnoticed (see issue 15's notes).
 */
const FIRST_LAYER = 'discriminator_0/model0/';

const UPSTREAM_OF_HEAD_NORM = ['fc/', 'head_0/conv_0/', 'head_0/norm_0/', 'layer', 'fc_mu/', 'fc_var/'];
const SIZE = 32;
const Z_DIM = 32;

interface SpadeFigures {
  images: { encoded: Float32Array; random: Float32Array };
  gradients: { generator: StepFigures['gradients']; discriminator: StepFigures['gradients'] };
  /** Non-trainable weights, as [path, norm, projection]. */
  state: StepFigures['gradients'];
  losses: Array<Record<string, number>>;
}

async function spadeFigures(): Promise<SpadeFigures> {
  const data = syntheticPairs(4, SIZE, 1);
  const generator = new SpadeGenerator(generatorArgs(SIZE, 4, { hidden: 16, vae: true, zDim: Z_DIM }));
  const encoder = new SpadeEncoder({ inChannels: 1, ngf: 4, zDim: Z_DIM, spectralNorm: true, seed: 1 });
  const discriminator = new SpadeDiscriminator({ inChannels: 5, ndf: 4, numD: 2, spectralNorm: true, seed: 1 });
  const task = spadeTask({ generator, discriminator, encoder }, data, spadeOptimisation());
  const items = [0, 1, 2, 3];
  const images = {
    encoded: await sampleImages(generator, data, items, { batchSize: 2, styles: { kind: 'images', encoder, images: data, pick: (k) => 3 - k, seed: 3 } }),
    random: await sampleImages(generator, data, items, { batchSize: 2, styles: { kind: 'random', seed: 4 } }),
  };

  const gWeights = [...generator.trainableWeights(), ...encoder.trainableWeights()];
  const dWeights = discriminator.trainableWeights();
  const { segmap, image } = gatherBatch(data, [0, 1]);
  if (image === undefined) throw new Error('the synthetic pairs have no images');
  const fake = tf.randomUniform(image.shape, -1, 1, 'float32', 9) as tf.Tensor4D;
  const differentiate = (objective: () => tf.Scalar, weights: typeof gWeights) => {
    const { value, grads } = tf.variableGrads(
      objective,
      weights.map((w) => w.variable),
    );
    const figures = gradientFigures(weights, grads);
    tf.dispose([value, ...Object.values(grads)]);
    return figures;
  };
  const gradients = {
    generator: differentiate(() => task.objectives.generator(segmap, image, new Rng(7)), gWeights),
    discriminator: differentiate(() => task.objectives.discriminator(segmap, fake, image), dWeights),
  };
  tf.dispose([segmap, image, fake]);
  const stateWeights = [generator, encoder, discriminator].flatMap((model) =>
    model
      .weights()
      .filter((w) => !w.trainable)
      .map((w) => ({ ...w, path: `${model.className}/${w.path}` })),
  );
  const state = gradientFigures(stateWeights, Object.fromEntries(stateWeights.map((w) => [w.variable.name, w.variable])));

  const rng = new Rng('steps');
  const losses: SpadeFigures['losses'] = [];
  for (const [step, indices] of [
    [0, 1],
    [2, 3],
  ].entries()) {
    const terms = await task.step(indices, rng, { epoch: 0, step, stepsPerEpoch: 2 }, async () => undefined);
    losses.push(Object.fromEntries(Object.entries(terms).map(([name, value]) => [name, value.dataSync()[0]])));
    tf.dispose(Object.values(terms));
  }
  task.dispose();
  [generator, encoder, discriminator].forEach((model) => model.dispose());
  return { images, gradients, state, losses };
}

describeWith('vulkan')('SPADE on webgpu (SwiftShader) as on wasm', () => {
  const both = onWasmAndWebgpu(spadeFigures);

  it("generates wasm's images from the untrained networks, with the encoder's styles and with random ones", () => {
    expect(relativeError(both.wasm.images.encoded, both.webgpu.images.encoded)).toBeLessThanOrEqual(1e-4);
    expect(relativeError(both.wasm.images.random, both.webgpu.images.random)).toBeLessThanOrEqual(1e-4);
    // The two style sources give different images: the encoder's code is not ignored.
    expect(relativeError(both.wasm.images.encoded, both.wasm.images.random)).toBeGreaterThan(1e-3);
  });

  it("has wasm's gradient for every weight of G, E and D, spectral norm included", () => {
    const upstream = (weight: string) => UPSTREAM_OF_HEAD_NORM.some((prefix) => weight.startsWith(prefix));
    const pick = (figures: StepFigures['gradients'], wanted: boolean) => figures.filter(([weight]) => upstream(weight) === wanted);
    const { generator, discriminator } = both.webgpu.gradients;
    expect(gradientsOff(pick(generator, false), pick(both.wasm.gradients.generator, false), 5e-4, 1e-6)).toEqual([]);
    expect(gradientsOff(pick(generator, true), pick(both.wasm.gradients.generator, true), 5e-2, 1e-5)).toEqual([]);
    const first = (figures: StepFigures['gradients'], wanted: boolean) => figures.filter(([weight]) => weight.startsWith(FIRST_LAYER) === wanted);
    expect(gradientsOff(first(discriminator, false), first(both.wasm.gradients.discriminator, false), 5e-4, 1e-6)).toEqual([]);
    expect(gradientsOff(first(discriminator, true), first(both.wasm.gradients.discriminator, true), 5e-2, 1e-6)).toEqual([]);
    expect(pick(both.wasm.gradients.generator, true).length).toBeGreaterThan(10);
    expect(both.wasm.gradients.discriminator.every(([, norm]) => norm > 0)).toBe(true);
  });

  it("leaves wasm's power-iteration vectors and running statistics after the training passes", () => {
    expect(both.wasm.state.some(([weight]) => weight.endsWith('/u'))).toBe(true);
    expect(gradientsOff(both.webgpu.state, both.wasm.state, 1e-4, 1e-6)).toEqual([]);
  });

  it("has wasm's losses over two training steps", () => {
    expect(Object.keys(both.webgpu.losses[0])).toEqual(['G_hinge', 'G_feat', 'G_kl', 'D_real', 'D_fake']);
    both.webgpu.losses.forEach((terms, step) => {
      const scale = Object.values(both.wasm.losses[step]).reduce((sum, v) => sum + Math.abs(v), 0);
      const tolerance = (step === 0 ? 1e-4 : 2e-3) * scale;
      const off = Object.entries(terms).filter(([name, value]) => Math.abs(value - both.wasm.losses[step][name]) > tolerance);
      expect(off).toEqual([]);
    });
  });
});
