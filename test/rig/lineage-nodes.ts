import { promises as fs } from 'fs';
import * as path from 'path';
import { defineNode, type NodeType } from '../../engine/node-api';
import { readLineage, writeOutputLineage } from '../../nodes/data/lineage-file';

/**
 * Test-only node types (a plugin) for the run-time leakage check: a "trainer" that learns nothing but
 * records its model's lineage through the lineage library as every built-in trainer does, and an
 * "evaluator" that scores nothing. The check runs on their declared roles, so tests exercise it with no
 * training at all; both write a marker so tests can tell whether they ran.
 */

const SCHEMA = { type: 'object', additionalProperties: false, properties: {} };

const fitPorts = {
  inputs: {
    train: { type: 'dataset', role: 'train', description: 'learnt from' },
    val: { type: 'dataset', role: 'select', optional: true, description: 'picks the epoch' },
  },
  outputs: { model: { type: 'model', description: 'lineage.json and ran.txt' } },
} satisfies Pick<NodeType, 'inputs' | 'outputs'>;

export const fitNode = defineNode<Record<string, never>>({
  type: 't-fit',
  version: 1,
  description: 'records a model lineage, trains nothing',
  paramsSchema: SCHEMA,
  ...fitPorts,
  resource: 'cpu',
  readLineage,
  async run(ctx, inputs) {
    await writeOutputLineage(ctx.outputDir('model'), fitPorts, 'model', inputs);
    await fs.writeFile(path.join(ctx.outputDir('model'), 'ran.txt'), ctx.nodeId);
  },
});

export const scoreNode = defineNode<Record<string, never>>({
  type: 't-score',
  version: 1,
  description: 'evaluates models on a test set, scores nothing',
  paramsSchema: SCHEMA,
  inputs: {
    models: { type: 'model', multiple: true, description: 'scored' },
    test: { type: 'dataset', role: 'evaluate', description: 'scored on' },
  },
  outputs: { metrics: { type: 'metrics', description: 'ran.txt' } },
  resource: 'cpu',
  async run(ctx) {
    await fs.writeFile(path.join(ctx.outputDir('metrics'), 'ran.txt'), ctx.nodeId);
  },
});

export const nodes = [fitNode, scoreNode];
