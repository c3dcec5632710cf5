import { promises as fs } from 'fs';
import * as path from 'path';
import { defineNode, many } from '../../engine/node-api';
import type { NodeRegistry } from '../../engine/registry';

/**
 * Test-only node types (a plugin) for `cardigan check`: `t-scored` is a "model" whose endocardial Dice
 * on each of 16 test images is its `level` plus a small wobble that depends on its seed, its level and the image,
 * and `t-summary` writes what the evaluate node writes for claims (summary.json, per-image.csv) from
 * its models. Levels chosen per matrix cell give crafted results: a clear gap, no gap, a reversed gap.
 */

const IMAGES = 16;

export const scoredNode = defineNode<{ level: number }>({
  type: 't-scored',
  version: 1,
  description: 'A model whose Dice per test image is `level` plus a seed-dependent wobble.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { level: { type: 'number', default: 0.9, description: 'Mean Dice.' } },
  },
  inputs: {},
  outputs: { model: { type: 'model', description: 'dice.json: one Dice per test image.' } },
  resource: 'cpu',
  async run(ctx, _inputs, params) {
    const dice = Array.from({ length: IMAGES }, (_, i) => params.level + 0.01 * Math.sin(ctx.seed * 7.3 + i * 1.7 + params.level * 10000));
    await fs.writeFile(path.join(ctx.outputDir('model'), 'dice.json'), JSON.stringify(dice));
  },
});

export const summaryNode = defineNode<Record<string, never>>({
  type: 't-summary',
  version: 1,
  description: "Writes summary.json and per-image.csv for its models, shaped as evaluate's.",
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  inputs: { models: { type: 'model', multiple: true, description: 't-scored models.' } },
  outputs: { metrics: { type: 'metrics', description: 'summary.json, per-image.csv' } },
  resource: 'cpu',
  async run(ctx, inputs) {
    const lines = ['model,item,endo_dice'];
    const models: unknown[] = [];
    for (const model of many(inputs, 'models')) {
      const dice = JSON.parse(await fs.readFile(path.join(model.dir, 'dice.json'), 'utf8')) as number[];
      dice.forEach((value, i) => lines.push(`${JSON.stringify(model.nodeId)},image${i},${value}`));
      const mean = dice.reduce((s, v) => s + v, 0) / dice.length;
      models.push({ id: model.nodeId, groups: { all: { metrics: { endo: { dice: { mean, std: null, n: dice.length, nan: 0 } } } } } });
    }
    const dir = ctx.outputDir('metrics');
    await fs.writeFile(path.join(dir, 'summary.json'), JSON.stringify({ format: 'cardigan-evaluation/1', models }));
    await fs.writeFile(path.join(dir, 'per-image.csv'), lines.join('\n') + '\n');
  },
});

export function register(registry: NodeRegistry): void {
  registry.register(scoredNode);
  registry.register(summaryNode);
}
