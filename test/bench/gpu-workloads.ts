import * as tf from '@tensorflow/tfjs-core';
import { MaskVae } from '../../nodes/mask-vae/mask-vae';
import { labelBatch, oneHotInput } from '../../nodes/mask-vae/mask-batch';
import { vaeLoss } from '../../nodes/mask-vae/vae-loss';
import { Adam, minimize } from '../../nodes/nn/training/optimizer';
import { Rng } from '../../nodes/nn/training/rng';
import { SpadeDiscriminator } from '../../nodes/spade/discriminator';
import { SpadeGenerator } from '../../nodes/spade/generator';
import { spadeTask } from '../../nodes/spade/spade-task';
import { syntheticPairs } from '../spade/synthetic-pairs';
import { segmentationStep } from './segmentation-step';

/**
 * The paper's five tfjs workloads as one repeatable step each, on the current backend, as their
 * nodes run them (test/bench/torch_models.py builds the same networks in PyTorch):
 *   spade     a train-spade step: generator update, then discriminator update (batch norm,
 *             spectral norm, two scales, TTUR Adam (0, 0.999), no VGG, no VAE head: paper.yaml)
 *   unet/enet a train-unet / train-enet step (segmentation-step.ts)
 *   mask-vae  a train-mask-vae step (cross-entropy + Dice + 0.05 KL)
 *   generate  the SPADE generator in evaluation mode on a batch of masks (the generate node)
 */
export type GpuModel = 'spade' | 'unet' | 'enet' | 'mask-vae' | 'generate';
export const GPU_MODELS: readonly GpuModel[] = ['spade', 'unet', 'enet', 'mask-vae', 'generate'];

export interface WorkloadShape {
  size: number;
  batch: number;
  /** U-Net initChannels, ENet w, SPADE ngf = ndf; unused by the mask VAE (48, vital's). */
  width: number;
  /** SPADE's hidden channels. */
  hidden: number;
}

/** The paper's settings (paper.yaml and the nodes' defaults), and tiny ones that run on a software GPU. */
export const PAPER_SHAPES: Record<GpuModel, WorkloadShape> = {
  spade: { size: 256, batch: 4, width: 48, hidden: 128 },
  unet: { size: 256, batch: 8, width: 32, hidden: 0 },
  enet: { size: 256, batch: 8, width: 16, hidden: 0 },
  'mask-vae': { size: 256, batch: 32, width: 48, hidden: 0 },
  generate: { size: 256, batch: 8, width: 48, hidden: 128 },
};
export const QUICK_SHAPES: Record<GpuModel, WorkloadShape> = {
  spade: { size: 32, batch: 2, width: 4, hidden: 16 },
  unet: { size: 32, batch: 2, width: 8, hidden: 0 },
  enet: { size: 32, batch: 2, width: 8, hidden: 0 },
  'mask-vae': { size: 32, batch: 4, width: 48, hidden: 0 },
  generate: { size: 32, batch: 2, width: 4, hidden: 16 },
};

export interface Workload {
  step(): Promise<void>;
  /** Trainable parameters by network, named as torch_models.py names them. */
  params: Record<string, number>;
  dispose(): void;
}

export function workload(model: GpuModel, shape: WorkloadShape): Workload {
  switch (model) {
    case 'unet':
    case 'enet': {
      const s = segmentationStep(model, { size: shape.size, batch: shape.batch, width: shape.width });
      return { step: () => s.step(), params: { model: s.params }, dispose: () => s.dispose() };
    }
    case 'spade':
      return spadeWorkload(shape);
    case 'generate':
      return generateWorkload(shape);
    case 'mask-vae':
      return maskVaeWorkload(shape);
  }
}

function generator(shape: WorkloadShape): SpadeGenerator {
  const { size, width, hidden } = shape;
  return new SpadeGenerator({
    height: size,
    width: size,
    ngf: width,
    labelChannels: 4,
    outChannels: 1,
    hidden,
    norm: 'batch',
    spectralNorm: true,
    vae: false,
    zDim: 256,
    seed: 1,
  });
}

function spadeWorkload(shape: WorkloadShape): Workload {
  const g = generator(shape);
  const d = new SpadeDiscriminator({ inChannels: 5, ndf: shape.width, numD: 2, spectralNorm: true, seed: 1 });
  const data = syntheticPairs(shape.batch, shape.size, 1);
  const task = spadeTask({ generator: g, discriminator: d }, data, {
    lr: 2e-4,
    ttur: true,
    beta1: 0,
    beta2: 0.999,
    decayFrom: null,
    batchSize: shape.batch,
    flip: true,
    lambdaFeat: 10,
    lambdaKl: 0.05,
    lambdaVgg: 10,
  });
  const rng = new Rng('gpu-bench');
  const indices = Array.from({ length: shape.batch }, (_, i) => i);
  let k = 0;
  return {
    params: { generator: g.countParams(), discriminator: d.countParams() },
    async step() {
      const losses = await task.step(indices, rng, { epoch: 0, step: k++, stepsPerEpoch: 1 }, async () => undefined);
      await Promise.all(Object.values(losses).map((loss) => loss.data()));
      tf.dispose(Object.values(losses));
    },
    dispose() {
      task.dispose();
      g.dispose();
      d.dispose();
    },
  };
}

function generateWorkload(shape: WorkloadShape): Workload {
  const g = generator(shape);
  const masks = syntheticPairs(shape.batch, shape.size, 1).masks;
  const indices = [...Array(shape.batch).keys()];
  return {
    params: { generator: g.countParams() },
    async step() {
      const image = tf.tidy(() => g.forward({ segmap: oneHotInput(labelBatch(masks, shape.size, indices), 4) }, { training: false }));
      await image.data();
      image.dispose();
    },
    dispose: () => g.dispose(),
  };
}

function maskVaeWorkload(shape: WorkloadShape): Workload {
  const blocks = [1, 2, 3, 4, 5, 6, 7, 8].find((b) => shape.size / 2 ** (b + 1) <= 8) ?? 1;
  const model = new MaskVae({ classes: 4, size: shape.size, blocks, initChannels: shape.width, latent: 32, seed: 1 });
  const adam = new Adam({ lr: 0.001 }, model.trainableWeights());
  const masks = syntheticPairs(shape.batch, shape.size, 1).masks;
  const indices = [...Array(shape.batch).keys()];
  const rng = new Rng('gpu-bench');
  return {
    params: { model: model.countParams() },
    async step() {
      const loss = minimize(adam, () =>
        tf.tidy(() => {
          const labels = labelBatch(masks, shape.size, indices);
          return vaeLoss(model.reconstruct(oneHotInput(labels, 4), { training: true, rng }), labels, 'ce+dice', 0.05).loss;
        }),
      );
      await loss.data();
      loss.dispose();
    },
    dispose() {
      adam.dispose();
      model.dispose();
    },
  };
}
