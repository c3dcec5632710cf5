import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cache } from '../../engine/cache/cache';
import type { RunEvent } from '../../engine/run/events';
import type { ResolvedExperiment } from '../../engine/experiment/resolved';
import { type RunOptions, type RunResult, runExperiment } from '../../engine/run/scheduler';
import { runtimeRegistry, startedNodes } from './runtime-nodes';
import { ProcessPoolExecutor } from '../../engine/run/executors/process-pool';
import { WORKER_COMMAND } from './worker';
import { type NodeSketch, resolvedExperiment } from './resolved-experiment';

/**
 * A temp folder with a cache, a call log and an experiment path, for engine tests. `run` runs an
 * experiment on the CPU backend and keeps the events it reported.
 */
export interface EngineRig {
  dir: string;
  cache: Cache;
  /** The call log the runtime test nodes append to (pass it as their `log` param). */
  log: string;
  /** The experiment file path the experiments built by `experiment` claim to come from. */
  file: string;
  experiment(nodes: NodeSketch[], name?: string): ResolvedExperiment;
  run(experiment: ResolvedExperiment, options?: Partial<RunOptions>): Promise<RunResult & { events: RunEvent[]; started: string[] }>;
  /** Nodes started since the last `run` began. */
  started(): string[];
  /** A pool of `run-node` worker processes of the runtime test nodes, on this rig's cache. */
  pool(): ProcessPoolExecutor;
  remove(): Promise<void>;
}

export async function makeEngineRig(): Promise<EngineRig> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-engine-'));
  const cache = new Cache(path.join(dir, 'cache'));
  const log = path.join(dir, 'calls.jsonl');
  const file = path.join(dir, 'experiment.yaml');
  let before = 0;
  return {
    dir,
    cache,
    log,
    file,
    experiment: (nodes, name) => resolvedExperiment(file, nodes, name),
    async run(experiment, options = {}) {
      const events: RunEvent[] = [];
      before = startedNodes(log).length;
      const result = await runExperiment(experiment, {
        cache,
        registry: runtimeRegistry(),
        backend: 'cpu',
        jobs: 4,
        lockPollMs: 20,
        report: (event) => events.push(event),
        ...options,
      });
      return { ...result, events, started: startedNodes(log).slice(before) };
    },
    started: () => startedNodes(log).slice(before),
    pool: () => new ProcessPoolExecutor({ cache, command: WORKER_COMMAND, pollMs: 20 }),
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** A chain-and-fan graph of `n` t-emit/t-join nodes: n0 … n(k) emit, the rest join their two predecessors. */
export function wideGraph(log: string, n: number): NodeSketch[] {
  const nodes: NodeSketch[] = [];
  for (let i = 0; i < n; i++) {
    if (i < 4) nodes.push({ id: `n${i}`, type: 't-emit', params: { value: `v${i}`, log } });
    else nodes.push({ id: `n${i}`, type: 't-join', params: { tag: `t${i}`, log }, inputs: { in: [`n${i - 4}.out`, `n${i - 3}.out`] } });
  }
  return nodes;
}
