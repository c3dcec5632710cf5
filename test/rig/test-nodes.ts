import { promises as fs } from 'fs';
import * as path from 'path';
import { defineNode, many, single } from '../../engine/node-api';
import type { NodeType } from '../../engine/node-api';
import type { NodeRegistry } from '../../engine/registry';

/**
 * Node types for engine tests only (never registered by the CLI): small but real nodes with every
 * shape of port the loader has to check — a `file` source, a fan-in `sum`, dataset → model → metrics.
 */

async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await fs.writeFile(path.join(dir, name), JSON.stringify(value));
}

async function readJson(dir: string, name: string): Promise<unknown> {
  return JSON.parse(await fs.readFile(path.join(dir, name), 'utf8'));
}

export const sourceNode = defineNode<{ value: number }>({
  type: 'source',
  version: 1,
  description: 'Writes its `value` param as value.json.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { value: { type: 'number', default: 1, description: 'The number to write.' } },
  },
  inputs: {},
  outputs: { out: { type: 'file', description: 'value.json' } },
  resource: 'cpu',
  async run(ctx, _inputs, params) {
    await writeJson(ctx.outputDir('out'), 'value.json', params.value);
  },
});

export const sumNode = defineNode<{ scale: number }>({
  type: 'sum',
  version: 1,
  description: 'Sums the value.json of every input, times `scale`.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { scale: { type: 'number', default: 1, description: 'Factor applied to the sum.' } },
  },
  inputs: {
    values: { type: 'file', multiple: true, description: 'Files holding value.json.' },
    offset: { type: 'file', optional: true, description: 'An optional value added after scaling.' },
  },
  outputs: { out: { type: 'file', description: 'value.json' } },
  resource: 'cpu',
  async run(ctx, inputs, params) {
    let total = 0;
    for (const input of many(inputs, 'values')) total += (await readJson(input.dir, 'value.json')) as number;
    const offset = inputs.offset === undefined ? 0 : ((await readJson(single(inputs, 'offset').dir, 'value.json')) as number);
    await writeJson(ctx.outputDir('out'), 'value.json', total * params.scale + offset);
  },
});

export const makeDataNode = defineNode<{ size: number; count: number }>({
  type: 'make-data',
  version: 1,
  description: 'Writes a description of a toy dataset split in train and val.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      size: { type: 'integer', minimum: 8, default: 32, description: 'Image side in pixels.' },
      count: { type: 'integer', minimum: 1, default: 4, description: 'Images per split.' },
    },
  },
  inputs: {},
  outputs: {
    train: { type: 'dataset', description: 'Training split.' },
    val: { type: 'dataset', description: 'Validation split.' },
  },
  resource: 'cpu',
  async run(ctx, _inputs, params) {
    for (const split of ['train', 'val']) await writeJson(ctx.outputDir(split), 'manifest.json', { split, ...params });
  },
});

export const trainNode = defineNode<{ lr: number; epochs: number; optimizer: string }>({
  type: 'train',
  version: 1,
  description: 'Pretends to train: records its params and inputs.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      lr: { type: 'number', exclusiveMinimum: 0, default: 0.001, description: 'Learning rate.' },
      epochs: { type: 'integer', minimum: 1, default: 2, description: 'Passes over the data.' },
      optimizer: { enum: ['adam', 'sgd'], default: 'adam', description: 'Optimiser.' },
    },
  },
  inputs: {
    train: { type: 'dataset', description: 'Training data.' },
    val: { type: 'dataset', optional: true, description: 'Validation data.' },
  },
  outputs: {
    model: { type: 'model', description: 'The trained model.' },
    log: { type: 'file', description: 'Training log.' },
  },
  resource: 'cpu',
  async run(ctx, inputs, params) {
    await writeJson(ctx.outputDir('model'), 'model.json', { params, seed: ctx.seed, train: single(inputs, 'train').hash });
    await writeJson(ctx.outputDir('log'), 'log.json', []);
  },
});

export const tabulateNode = defineNode<Record<string, never>>({
  type: 'tabulate',
  version: 1,
  description: 'Lists the models it was given (a stand-in shaped like the evaluate node, named apart from it so that both can be registered).',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  inputs: {
    models: { type: 'model', multiple: true, description: 'Models to evaluate.' },
    test: { type: 'dataset', description: 'Test data.' },
  },
  outputs: { metrics: { type: 'metrics', description: 'One row per model.' } },
  resource: 'cpu',
  async run(ctx, inputs) {
    await writeJson(
      ctx.outputDir('metrics'),
      'metrics.json',
      many(inputs, 'models').map((m) => m.nodeId),
    );
  },
});

export const TEST_NODES: readonly NodeType<never>[] = [sourceNode, sumNode, makeDataNode, trainNode, tabulateNode] as unknown as NodeType<never>[];

export function registerTestNodes(registry: NodeRegistry): void {
  for (const node of TEST_NODES) registry.register(node);
}

/** Lets a test experiment name this file under `plugins:` (jest compiles it on require). */
export const register = registerTestNodes;
