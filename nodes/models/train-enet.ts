import { defineNode } from '../../engine/node-api';
import schema from '../../schemas/nodes/train-enet.schema.json';
import { ENet, ENET_DEFAULTS } from './enet';
import { SEGMENTATION_PORTS, SegmentationParams, trainSegmentation } from './segmentation-trainer';

export const trainEnet = defineNode<SegmentationParams>({
  type: 'train-enet',
  version: 1,
  description: 'Trains ENet and keeps the epoch with the best validation Dice.',
  paramsSchema: schema,
  ...SEGMENTATION_PORTS,
  resource: 'gpu',
  run: (ctx, inputs, params) => trainSegmentation(ctx, inputs, params, (args) => new ENet({ ...ENET_DEFAULTS, ...args })),
});
