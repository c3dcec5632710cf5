import { createHash } from 'crypto';
import { appendFileSync, promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { setTimeout as delay } from 'timers/promises';
import { NodeRegistry } from '../../engine/registry';
import { type NodeContext, type NodeInputs, type NodeType, defineNode, many } from '../../engine/node-api';

/**
 * Node types for engine tests: they sleep, fail, checkpoint, and append a line per call to a log
 * file named by their `log` param, so tests (and child processes) can count what actually ran.
 * `log` and `label` are cosmetic: they stay out of the key, as a log path must.
 */

export interface CallLine {
  node: string;
  key: string;
  pid: number;
  event: 'start' | 'end' | 'resume';
  /** Milliseconds since the epoch. */
  t: number;
  step?: number;
}

interface Logged {
  log?: string;
  label?: string;
}

const anyParams = { type: 'object' };

function record(ctx: NodeContext, params: Logged, event: CallLine['event'], step?: number): void {
  if (params.log === undefined) return;
  const line: CallLine = { node: ctx.nodeId, key: ctx.key, pid: process.pid, event, t: Date.now(), ...(step === undefined ? {} : { step }) };
  appendFileSync(params.log, JSON.stringify(line) + '\n');
}

async function writeOut(ctx: NodeContext, text: string): Promise<void> {
  await fs.writeFile(path.join(ctx.outputDir('out'), 'value.txt'), text);
}

async function readIn(inputs: NodeInputs, port: string): Promise<string[]> {
  return Promise.all(many(inputs, port).map((artifact) => fs.readFile(path.join(artifact.dir, 'value.txt'), 'utf8')));
}

/** Writes `value`; sleeps `sleepMs` first. */
export const emitNode: NodeType<Logged & { value: string | number; sleepMs?: number }> = defineNode({
  type: 't-emit',
  version: 1,
  description: 'writes its value',
  paramsSchema: anyParams,
  inputs: {},
  outputs: { out: { type: 'file', description: 'value.txt' } },
  resource: 'cpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    if (params.sleepMs !== undefined) await delay(params.sleepMs, undefined, { signal: ctx.signal });
    await writeOut(ctx, String(params.value));
    record(ctx, params, 'end');
  },
});

/** Concatenates its inputs (fan-in, in order) and appends `tag`. */
export const joinNode: NodeType<Logged & { tag: string; sleepMs?: number }> = defineNode({
  type: 't-join',
  version: 1,
  description: 'joins its inputs and a tag',
  paramsSchema: anyParams,
  inputs: { in: { type: 'file', description: 'values', multiple: true, optional: true } },
  outputs: { out: { type: 'file', description: 'value.txt' } },
  resource: 'cpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, inputs, params) {
    record(ctx, params, 'start');
    if (params.sleepMs !== undefined) await delay(params.sleepMs, undefined, { signal: ctx.signal });
    await writeOut(ctx, `${(await readIn(inputs, 'in')).join('+')}>${params.tag}`);
    record(ctx, params, 'end');
  },
});

/** Like t-join, but writes the sha256 of the joined text: outputs stay small however deep the graph (benchmarks). */
export const digestNode: NodeType<Logged & { tag: string }> = defineNode({
  type: 't-digest',
  version: 1,
  description: 'hashes its inputs and a tag',
  paramsSchema: anyParams,
  inputs: { in: { type: 'file', description: 'values', multiple: true, optional: true } },
  outputs: { out: { type: 'file', description: 'value.txt' } },
  resource: 'cpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, inputs, params) {
    record(ctx, params, 'start');
    await writeOut(ctx, createHash('sha256').update(`${(await readIn(inputs, 'in')).join('+')}>${params.tag}`).digest('hex'));
    record(ctx, params, 'end');
  },
});

/** Writes `n % 2`: a param change from 2 to 4 reproduces the same output (early cutoff). */
export const parityNode: NodeType<Logged & { n: number }> = defineNode({
  type: 't-parity',
  version: 1,
  description: 'writes the parity of n',
  paramsSchema: anyParams,
  inputs: {},
  outputs: { out: { type: 'file', description: 'value.txt' } },
  resource: 'cpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    await writeOut(ctx, String(params.n % 2));
    record(ctx, params, 'end');
  },
});

/** Always throws `message`. */
export const failNode: NodeType<Logged & { message: string }> = defineNode({
  type: 't-fail',
  version: 1,
  description: 'fails',
  paramsSchema: anyParams,
  inputs: { in: { type: 'file', description: 'ignored', multiple: true, optional: true } },
  outputs: { out: { type: 'file', description: 'never written' } },
  resource: 'cpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    throw new Error(params.message);
  },
});

/** Returns without writing its declared output: the engine must fail it, not cache an empty result. */
export const quietNode: NodeType<Logged> = defineNode({
  type: 't-quiet',
  version: 1,
  description: 'forgets to write its output',
  paramsSchema: anyParams,
  inputs: {},
  outputs: { out: { type: 'file', description: 'never written' }, extra: { type: 'file', description: 'optional', optional: true } },
  resource: 'cpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
  },
});

/**
 * Counts to `steps`, sleeping `stepMs` per step and checkpointing after each; on start it resumes
 * from the latest checkpoint (logging a `resume` line with the step it found).
 */
export const stepsNode: NodeType<Logged & { steps: number; stepMs: number }> = defineNode({
  type: 't-steps',
  version: 1,
  description: 'counts with checkpoints',
  paramsSchema: anyParams,
  inputs: {},
  outputs: { out: { type: 'file', description: 'value.txt' } },
  resource: 'cpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, _inputs, params) {
    let step = 0;
    const latest = await ctx.checkpoints.latest();
    if (latest !== undefined) {
      step = Number(await fs.readFile(path.join(latest, 'step.txt'), 'utf8'));
      record(ctx, params, 'resume', step);
    } else {
      record(ctx, params, 'start');
    }
    const visited = latest === undefined ? [] : (await fs.readFile(path.join(latest, 'visited.txt'), 'utf8')).split(',').filter((s) => s !== '');
    while (step < params.steps) {
      await delay(params.stepMs, undefined, { signal: ctx.signal });
      step++;
      visited.push(String(step));
      await ctx.checkpoints.save(async (dir) => {
        await fs.writeFile(path.join(dir, 'step.txt'), String(step));
        await fs.writeFile(path.join(dir, 'visited.txt'), visited.join(','));
      });
      record(ctx, params, 'end', step);
      ctx.progress({ done: step, total: params.steps, unit: 'step' });
    }
    // The output is the same whether or not the node was interrupted: every step exactly once.
    await writeOut(ctx, visited.join(','));
  },
});

/** A gpu-class node: sleeps, then writes its value. Tests read start/end times to check it never overlaps another. */
export const gpuNode: NodeType<Logged & { value: string; sleepMs: number }> = defineNode({
  type: 't-gpu',
  version: 1,
  description: 'pretends to train on the GPU',
  paramsSchema: anyParams,
  inputs: {},
  outputs: { out: { type: 'file', description: 'value.txt' } },
  resource: 'gpu',
  cosmeticParams: ['log', 'label'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    await delay(params.sleepMs, undefined, { signal: ctx.signal });
    await writeOut(ctx, params.value);
    record(ctx, params, 'end');
  },
});

export function runtimeRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  registry.register(emitNode);
  registry.register(joinNode);
  registry.register(digestNode);
  registry.register(parityNode);
  registry.register(failNode);
  registry.register(quietNode);
  registry.register(stepsNode);
  registry.register(gpuNode);
  return registry;
}

export function readCalls(logFile: string): CallLine[] {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as CallLine);
}

/** Node ids that started computing (fresh or resumed), in order. */
export function startedNodes(logFile: string): string[] {
  return readCalls(logFile)
    .filter((call) => call.event === 'start' || call.event === 'resume')
    .map((call) => call.node);
}
