import { defineNode } from '../../../engine/node-api';
import schema from '../../../schemas/nodes/train-enet.schema.json';
import { SEGMENTATION_PORTS, type SegmentationParams } from '../../segmentation/segmentation-node';

export const trainEnet = defineNode<SegmentationParams>({
  type: 'train-enet',
  // 2: seconds and images/s moved from log.jsonl to volatile/timings.jsonl.
  // 3: BatchNorm trains through the float64-sum batch-norm kernel on wasm and cpu (outputs change slightly).
  version: 3,
  description: 'Trains ENet and keeps the epoch with the best validation Dice.',
  paramsSchema: schema,
  ...SEGMENTATION_PORTS,
  resource: 'gpu',
  // The trainer (and tfjs) loads when a node of this type runs (engine/node-api.ts).
  run: (ctx, inputs, params) => {
    const { trainSegmentation } = require('../../segmentation/segmentation-trainer') as typeof import('../../segmentation/segmentation-trainer');
    const { ENet, ENET_DEFAULTS } = require('../../segmentation/enet') as typeof import('../../segmentation/enet');
    return trainSegmentation(ctx, inputs, params, (args) => new ENet({ ...ENET_DEFAULTS, ...args }));
  },
});
