import { defineNode } from '../../engine/node-api';
import schema from '../../schemas/nodes/train-unet.schema.json';
import { SEGMENTATION_PORTS, SegmentationParams, trainSegmentation } from './segmentation-trainer';
import { UNet } from './unet';

export const trainUnet = defineNode<SegmentationParams>({
  type: 'train-unet',
  version: 1,
  description: 'Trains the CAMUS U-Net and keeps the epoch with the best validation Dice.',
  paramsSchema: schema,
  ...SEGMENTATION_PORTS,
  resource: 'gpu',
  run: (ctx, inputs, params) => trainSegmentation(ctx, inputs, params, (args) => new UNet(args)),
});
