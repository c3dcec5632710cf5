import * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig, SegmentationModel } from '../../nodes/nn/model';
import { Adam, minimize } from '../../nodes/nn/training/optimizer';
import { Rng } from '../../nodes/nn/training/rng';
import { ENet, ENET_DEFAULTS } from '../../nodes/segmentation/enet';
import { segmentationLoss } from '../../nodes/segmentation/losses';
import { UNet } from '../../nodes/segmentation/unet';

/**
 * One training step of train-unet / train-enet as segmentation-trainer.ts runs it, without the
 * datasets: the batch is uploaded from JavaScript arrays (as gatherBatch does), the real model runs
 * forward in training mode (dropout from a seeded stream), cross-entropy, gradients, Adam, and the
 * loss is read back asynchronously (as the training loop does).
 */
export type SegmentationNet = 'unet' | 'enet';

/** The paper's widths: U-Net 32 (vital), ENet 16 (Paszke et al.). */
export const PAPER_WIDTH: Record<SegmentationNet, number> = { unet: 32, enet: 16 };

export interface SegmentationStep {
  step(): Promise<void>;
  /** Trainable scalars. */
  params: number;
  dispose(): void;
}

export function buildNet(net: SegmentationNet, width: number, seed = 1): SegmentationModel<ModelConfig> {
  return net === 'unet'
    ? new UNet({ inChannels: 1, classes: 4, initChannels: width, seed })
    : new ENet({ inChannels: 1, classes: 4, ...ENET_DEFAULTS, initChannels: width, seed });
}

export function segmentationStep(net: SegmentationNet, options: { size: number; batch: number; width?: number; seed?: number }): SegmentationStep {
  const { size, batch } = options;
  const model = buildNet(net, options.width ?? PAPER_WIDTH[net], options.seed ?? 1);
  const adam = new Adam({ lr: 0.001 }, model.trainableWeights());
  const random = new Rng('segmentation-step');
  const images = Float32Array.from({ length: batch * size * size }, () => random.next());
  const labels = Int32Array.from({ length: batch * size * size }, () => random.int(4));
  const rng = new Rng(options.seed ?? 1);
  return {
    params: model.countParams(),
    async step() {
      const loss = minimize(adam, () =>
        tf.tidy(() => {
          const x = tf.tensor4d(images, [batch, size, size, 1]);
          const y = tf.tensor3d(labels, [batch, size, size]);
          return segmentationLoss(model.forward(x, { training: true, rng }) as tf.Tensor4D, y, 'ce').loss;
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
