import type { NodeType } from '../../engine';
import type { SegmentationLoss } from './losses';

/**
 * What train-unet and train-enet declare alike: their params and ports. Kept apart from the trainer
 * so that registering the node types loads no tfjs (engine/node-api.ts).
 */
export interface SegmentationParams {
  epochs: number;
  batchSize: number;
  lr: number;
  /** Epochs at the full rate before a linear decay to zero; null keeps the rate constant. */
  lrDecayFrom: number | null;
  loss: SegmentationLoss;
  /** Width of the network (channels of its first stage). */
  initChannels: number;
  augmentation: boolean;
  /** Overrides the seed the engine derives for the node. */
  seed: number | null;
}

export const SEGMENTATION_PORTS = {
  inputs: {
    train: { type: 'dataset', role: 'train', description: 'Images and masks to learn from.' },
    val: { type: 'dataset', role: 'select', description: 'Images and masks that pick the best epoch (mean Dice over LV, myocardium, LA).' },
  },
  outputs: {
    model: {
      type: 'model',
      description:
        'model.json + weights.bin of the best epoch, log.jsonl of every epoch, and volatile/timings.jsonl (seconds and images/s per epoch, outside the hash).',
    },
  },
} satisfies Pick<NodeType, 'inputs' | 'outputs'>;
