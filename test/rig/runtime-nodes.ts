import { createHash } from 'crypto';
import { appendFileSync, promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { setTimeout as delay } from 'timers/promises';
import { NodeRegistry } from '../../engine/registry';
import { type NodeContext, type NodeInputs, type NodeType, VOLATILE_FOLDER, defineNode, many } from '../../engine/node-api';

/**
 * Node types for engine tests: they sleep, fail, checkpoint, and append a line per call to a log
 * file named by their `log` param, so tests (and child processes) can count what actually ran.
 * `log` and `label` are cosmetic: they stay out of the key, as a log path must. Tests use them from
 * hand-built experiments (runtimeRegistry) and from YAML, naming this file under `plugins:`.
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

type PropertySchema = Record<string, unknown>;

interface RuntimeNodeSpec<P> {
  type: string;
  description: string;
  /** Param schemas besides the cosmetic `log` and `label`. */
  params: Record<string, PropertySchema>;
  required?: string[];
  inputs?: NodeType<P>['inputs'];
  outputs?: NodeType<P>['outputs'];
  resource?: NodeType<P>['resource'];
  externalPaths?: NodeType<P>['externalPaths'];
  run: NodeType<P>['run'];
}

/** A runtime test node: a closed params schema (so `--set` typos are caught), one `out` file by default, `log` and `label` cosmetic. */
function runtimeNode<P>(spec: RuntimeNodeSpec<Logged & P>): NodeType<Logged & P> {
  return defineNode<Logged & P>({
    type: spec.type,
    version: 1,
    description: spec.description,
    paramsSchema: {
      type: 'object',
      additionalProperties: false,
      required: spec.required ?? [],
      properties: {
        log: { type: 'string', description: 'File to append a JSON line to per call (not in the key).' },
        label: { type: 'string', description: 'Shown only (not in the key).' },
        ...spec.params,
      },
    },
    inputs: spec.inputs ?? {},
    outputs: spec.outputs ?? { out: { type: 'file', description: 'value.txt' } },
    resource: spec.resource ?? 'cpu',
    cosmeticParams: ['log', 'label'],
    ...(spec.externalPaths === undefined ? {} : { externalPaths: spec.externalPaths }),
    run: spec.run,
  });
}

const FAN_IN = { in: { type: 'file', description: 'values', multiple: true, optional: true } } as const;
const SLEEP = { sleepMs: { type: 'integer', minimum: 0, description: 'Milliseconds to sleep before writing.' } };
const TAG = { tag: { type: 'string', description: 'Text appended to the joined inputs.' } };

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
export const emitNode = runtimeNode<{ value: string | number; sleepMs?: number }>({
  type: 't-emit',
  description: 'writes its value',
  params: { value: { type: ['string', 'number'], description: 'What to write.' }, ...SLEEP },
  required: ['value'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    if (params.sleepMs !== undefined) await delay(params.sleepMs, undefined, { signal: ctx.signal });
    await writeOut(ctx, String(params.value));
    record(ctx, params, 'end');
  },
});

/** Concatenates its inputs (fan-in, in order) and appends `tag`. */
export const joinNode = runtimeNode<{ tag: string; sleepMs?: number }>({
  type: 't-join',
  description: 'joins its inputs and a tag',
  params: { ...TAG, ...SLEEP },
  required: ['tag'],
  inputs: FAN_IN,
  async run(ctx, inputs, params) {
    record(ctx, params, 'start');
    if (params.sleepMs !== undefined) await delay(params.sleepMs, undefined, { signal: ctx.signal });
    await writeOut(ctx, `${(await readIn(inputs, 'in')).join('+')}>${params.tag}`);
    record(ctx, params, 'end');
  },
});

/** Like t-join, but writes the sha256 of the joined text: outputs stay small however deep the graph (benchmarks). */
export const digestNode = runtimeNode<{ tag: string }>({
  type: 't-digest',
  description: 'hashes its inputs and a tag',
  params: { ...TAG },
  required: ['tag'],
  inputs: FAN_IN,
  async run(ctx, inputs, params) {
    record(ctx, params, 'start');
    await writeOut(
      ctx,
      createHash('sha256')
        .update(`${(await readIn(inputs, 'in')).join('+')}>${params.tag}`)
        .digest('hex'),
    );
    record(ctx, params, 'end');
  },
});

/** Writes `n % 2`: a param change from 2 to 4 reproduces the same output (early cutoff). */
export const parityNode = runtimeNode<{ n: number }>({
  type: 't-parity',
  description: 'writes the parity of n',
  params: { n: { type: 'integer', description: 'The number whose parity is written.' } },
  required: ['n'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    await writeOut(ctx, String(params.n % 2));
    record(ctx, params, 'end');
  },
});

/** Writes `value` to value.txt and `note` to volatile/note.txt, which stays out of the output's hash. */
export const volatileNode = runtimeNode<{ value: string; note: string }>({
  type: 't-volatile',
  description: 'writes a value and a volatile note',
  params: { value: { type: 'string', description: 'What to write.' }, note: { type: 'string', description: 'What to write under volatile/.' } },
  required: ['value', 'note'],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    await writeOut(ctx, params.value);
    const volatile = path.join(ctx.outputDir('out'), VOLATILE_FOLDER);
    await fs.mkdir(volatile);
    await fs.writeFile(path.join(volatile, 'note.txt'), params.note);
    record(ctx, params, 'end');
  },
});

/** Always throws `message`. */
export const failNode = runtimeNode<{ message: string }>({
  type: 't-fail',
  description: 'fails',
  params: { message: { type: 'string', default: 'failed on purpose', description: 'The error message.' } },
  inputs: { in: { type: 'file', description: 'ignored', multiple: true, optional: true } },
  outputs: { out: { type: 'file', description: 'never written' } },
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    throw new Error(params.message);
  },
});

/** Returns without writing its declared output: the engine must fail it, not cache an empty result. */
export const quietNode = runtimeNode<Record<string, never>>({
  type: 't-quiet',
  description: 'forgets to write its output',
  params: {},
  outputs: { out: { type: 'file', description: 'never written' }, extra: { type: 'file', description: 'optional', optional: true } },
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
  },
});

/**
 * Counts to `steps`, sleeping `stepMs` per step and checkpointing after each; on start it resumes
 * from the latest checkpoint (logging a `resume` line with the step it found).
 */
export const stepsNode = runtimeNode<{ steps: number; stepMs: number }>({
  type: 't-steps',
  description: 'counts with checkpoints',
  params: {
    steps: { type: 'integer', minimum: 1, description: 'How far to count.' },
    stepMs: { type: 'integer', minimum: 0, default: 0, description: 'Milliseconds per step.' },
  },
  required: ['steps'],
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
export const gpuNode = runtimeNode<{ value: string; sleepMs: number }>({
  type: 't-gpu',
  description: 'pretends to train on the GPU',
  params: {
    value: { type: 'string', description: 'What to write.' },
    sleepMs: { type: 'integer', minimum: 0, default: 0, description: 'Milliseconds to sleep.' },
  },
  required: ['value'],
  resource: 'gpu',
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    await delay(params.sleepMs, undefined, { signal: ctx.signal });
    await writeOut(ctx, params.value);
    record(ctx, params, 'end');
  },
});

/** Reads a folder outside the cache (named by `folder`, relative to the experiment file) and writes its files' text, in name order. */
export const readFolderNode = runtimeNode<{ folder: string }>({
  type: 't-read',
  description: 'reads a folder of text files',
  params: { folder: { type: 'string', minLength: 1, description: 'The folder to read, relative to the experiment file.' } },
  required: ['folder'],
  externalPaths: (params) => [params.folder],
  async run(ctx, _inputs, params) {
    record(ctx, params, 'start');
    const folder = ctx.resolvePath(params.folder);
    const names = (await fs.readdir(folder)).sort();
    const texts = await Promise.all(names.map((name) => fs.readFile(path.join(folder, name), 'utf8')));
    await writeOut(ctx, texts.join('|'));
    record(ctx, params, 'end');
  },
});

export const RUNTIME_NODES: readonly NodeType<never>[] = [
  emitNode,
  joinNode,
  digestNode,
  parityNode,
  volatileNode,
  failNode,
  quietNode,
  stepsNode,
  gpuNode,
  readFolderNode,
] as unknown as NodeType<never>[];

/** Registers the runtime test nodes; also what makes this file usable as a plugin (`plugins: [.../runtime-nodes.ts]`). */
export function register(registry: NodeRegistry): void {
  for (const node of RUNTIME_NODES) registry.register(node);
}

export function runtimeRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  register(registry);
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
