import { defineNode, type NodeType } from '../../engine/node-api';
import type { NodeRegistry } from '../../engine/registry';
import { writeDataset } from '../../nodes/data/dataset-artifact';
import { syntheticHearts } from '../models/synthetic-hearts';

/**
 * `t-hearts`: a dataset of synthetic hearts (images and masks, test/models/synthetic-hearts.ts) for
 * tests that run real trainers through the engine or the CLI; usable as a plugin (`plugins:
 * [test/rig/hearts-node.ts]`).
 */
export const heartsNode = defineNode<{ count: number; size: number }>({
  type: 't-hearts',
  version: 1,
  description: 'synthetic hearts, images and masks',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      count: { type: 'integer', minimum: 1, default: 8, description: 'Images.' },
      size: { type: 'integer', minimum: 8, default: 32, description: 'Height and width.' },
    },
  },
  inputs: {},
  outputs: { dataset: { type: 'dataset', description: 'manifest.json, images.npy, masks.npy' } },
  resource: 'cpu',
  run: (ctx, _inputs, params) => writeDataset(ctx.outputDir('dataset'), syntheticHearts(params.count, params.size, ctx.seed)),
});

export function register(registry: NodeRegistry): void {
  registry.register(heartsNode as unknown as NodeType<never>);
}
