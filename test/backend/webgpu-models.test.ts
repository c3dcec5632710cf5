import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../engine/compute/backend';
import { MaskVae } from '../../nodes/mask-vae/mask-vae';
import { labelBatch, oneHotInput } from '../../nodes/mask-vae/mask-batch';
import { vaeLoss } from '../../nodes/mask-vae/vae-loss';
import { Rng } from '../../nodes/nn/training/rng';
import { GOLDEN_NETWORKS, gradientsOff, segmentationTrainee, type Trainee, trainingFigures } from '../models/golden/steps';
import { syntheticHearts } from '../models/synthetic-hearts';
import { describeWith } from '../rig/tools/presence';
import { onBackend, relativeError } from './compare-backends';
import { SWIFTSHADER, withVulkanDriver } from './vulkan-driver';
import { onWasmAndWebgpu } from './wasm-and-webgpu';

/**
 * The trained networks on webgpu (SwiftShader standing in for a GPU) against wasm, at a tiny size
 * (32 px, batch 2, width 8 for the U-Net and the ENet; 4 masks, 4 channels, 1 block for the mask
 * VAE, whose loss adds the KL term to ce+dice): the untrained model's output, the first step's loss and every weight's
 * gradient, and the losses of the next two steps. webgpu runs tfjs's compositions where wasm runs
 * cardigan's kernels (batch norm, PReLU's gradient, max-unpooling, Adam), in float32 with other
 * summation orders, so: 1e-5 on the predictions and the first loss, 5e-4 of a gradient's norm,
 * 2e-3 on the later losses (after Adam's first steps, see test/models/golden). The logits after
 * the steps are not compared: Adam's sign-like first updates make them differ by a few percent
 * between any two summation orders.
 */
const quiet = { log: () => undefined };

/** The mask VAE on the masks of four synthetic hearts, its reparameterisation noise seeded per step. */
function maskVaeTrainee(): Trainee {
  const model = new MaskVae({ classes: 4, size: 32, blocks: 1, initChannels: 4, latent: 8, seed: 5 });
  const labels = labelBatch(syntheticHearts(4, 32, 3).masks, 32, [0, 1, 2, 3]);
  const x = oneHotInput(labels, 4);
  return {
    weights: model.trainableWeights(),
    loss: (step) => vaeLoss(model.reconstruct(x, { training: true, rng: new Rng(100 + step) }), labels, 'ce+dice', 0.01).loss,
    evaluate: () => model.forward(x, { training: false }),
    dispose: () => {
      tf.dispose([x, labels]);
      model.dispose();
    },
  };
}

const TRAINEES: Record<string, () => Trainee> = {
  'U-Net': () => segmentationTrainee(GOLDEN_NETWORKS.unet()),
  ENet: () => segmentationTrainee(GOLDEN_NETWORKS.enet()),
  'mask VAE': maskVaeTrainee,
};

describeWith('vulkan')('on webgpu (SwiftShader) as on wasm', () => {
  beforeAll(() => withVulkanDriver(SWIFTSHADER, () => initBackend('webgpu', quiet)));

  describe.each(Object.keys(TRAINEES))('%s', (name) => {
    const both = onWasmAndWebgpu(() => trainingFigures(TRAINEES[name]()));

    it('predicts what wasm predicts before training', () => {
      // A sum of n outputs each off by ε relative is off by at most ε·Σ|y|, however much the sum cancels.
      const scale = both.wasm.initialScale ?? Number.NaN;
      both.webgpu.initialLogits.forEach((value, i) => expect(Math.abs(value - both.wasm.initialLogits[i])).toBeLessThanOrEqual(1e-5 * scale));
    });

    it("has wasm's first loss and every weight's gradient", () => {
      expect(Math.abs(both.webgpu.losses[0] - both.wasm.losses[0])).toBeLessThanOrEqual(1e-5 * both.wasm.losses[0]);
      expect(gradientsOff(both.webgpu.gradients, both.wasm.gradients, 5e-4, 1e-6)).toEqual([]);
      expect(both.wasm.gradients.some(([, norm]) => norm > 0.1)).toBe(true);
    });

    it("has wasm's losses over the next Adam steps", () => {
      both.webgpu.losses.forEach((loss, i) => expect(Math.abs(loss - both.wasm.losses[i])).toBeLessThanOrEqual(2e-3 * both.wasm.losses[i]));
    });
  });

  describe('integer tensors on webgpu', () => {
    it('transposes int32 and bool tensors of rank 3 and 4, and sums int32 over leading axes, as cpu does', async () => {
      const compute = () => {
        const ints = tf.reshape(tf.range(0, 120, 1, 'int32'), [2, 3, 4, 5]);
        const bools = tf.greater(tf.reshape(tf.range(0, 24, 1, 'int32'), [2, 3, 4]), 11);
        const oneHot = tf.oneHot(tf.tensor3d([0, 2, 1, 3, 3, 1, 0, 2], [2, 2, 2], 'int32'), 4);
        return [
          tf.transpose(ints, [3, 0, 1, 2]),
          tf.transpose(ints, [0, 2, 1, 3]),
          tf.cast(tf.transpose(bools, [2, 0, 1]), 'int32'),
          tf.sum(oneHot, [0, 1, 2]),
        ].map((t) => tf.cast(t, 'float32'));
      };
      const cpu = await onBackend('cpu', compute);
      const gpu = await onBackend('webgpu', compute);
      cpu.forEach((reference, i) => expect(relativeError(reference, gpu[i])).toBe(0));
      expect(Array.from(gpu[3])).toEqual([2, 2, 2, 2]);
    });
  });
});
