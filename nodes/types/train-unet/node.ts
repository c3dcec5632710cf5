import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/train-unet.schema.json';
import { readLineage } from '../../data/lineage-file';
import { SEGMENTATION_PORTS, type SegmentationParams } from '../../segmentation/segmentation-node';

export const node = defineNode<SegmentationParams>({
  type: 'train-unet',
  // 2: seconds and images/s moved from log.jsonl to volatile/timings.jsonl.
  // 3: BatchNorm trains through the float64-sum batch-norm kernel on wasm and cpu (outputs change slightly).
  // 4: lineage.json beside model.json: the patients of train (trained) and val (selected).
  version: 4,
  description: 'Trains the CAMUS U-Net and keeps the epoch with the best validation Dice.',
  paramsSchema: schema,
  ...SEGMENTATION_PORTS,
  resource: 'gpu',
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The trainer (and tfjs) loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
