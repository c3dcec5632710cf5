import { type ChildProcess, spawn } from 'child_process';
import { promises as fs } from 'fs';
import { setTimeout as delay } from 'timers/promises';
import type { BackendChoice } from '../../compute/backend';
import type { BackendKind } from '../../compute/backend-candidates';
import type { Cache } from '../../cache/cache';
import { visibleGpus } from '../../compute/gpus';
import type { NodeJob } from '../../keys/job';
import type { ExecutionHooks, ExecutionResult, Executor, NodeSlots } from '../executor';
import { AttemptFolder, EventFollower, replayLine } from '../job-folder';
import { newAttempt } from './new-attempt';
import { Slots } from '../slots';
import { collectResult } from './worker-result';
import { oomKills } from './oom-kills';

export interface ProcessPoolOptions {
  cache: Cache;
  /** What starts cardigan, e.g. `[node, dist/nodes/cardigan.js]`; `run-node <key> …` is appended. */
  command: readonly string[];
  /** How often a worker's events file is read (ms). */
  pollMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs each node as a `cardigan run-node` child process, `--jobs` of them at once, so that a
 * machine's cores all compute (tfjs on wasm or cpu computes on one thread per process). gpu-class
 * nodes share those slots on wasm/cpu; on a GPU backend they are also capped at one per GPU, each
 * child seeing only its own GPU. Until the first worker reports its backend (under `--backend auto`)
 * gpu nodes take turns, as in-process.
 *
 * A child gets the job through the cache (job.json) and reports through it (events.jsonl,
 * result.json), exactly as a Slurm job does. The children run in their own process group, so that a
 * Ctrl-C on the terminal reaches the coordinator only, which passes SIGTERM on to each child once;
 * a coordinator killed outright takes them with it (`run-node --stop-with-parent`).
 */
export class ProcessPoolExecutor implements Executor {
  readonly name = 'processes';
  private shared: Slots | undefined;
  private jobs = 1;
  private kind: BackendKind | undefined;
  private readonly freeGpus: string[];
  private readonly gpuCount: number;
  private readonly children = new Set<ChildProcess>();
  private readonly onExit = (): void => {
    for (const child of this.children) child.kill('SIGTERM');
  };

  constructor(private readonly options: ProcessPoolOptions) {
    if (options.command.length === 0) throw new Error('ProcessPoolExecutor: empty worker command');
    this.freeGpus = visibleGpus(options.env ?? process.env);
    this.gpuCount = this.freeGpus.length;
  }

  slots(jobs: number): NodeSlots {
    this.jobs = jobs;
    this.shared = new Slots({ cpu: jobs, gpu: 1, total: jobs });
    return this.shared;
  }

  async execute(job: NodeJob, hooks: ExecutionHooks): Promise<ExecutionResult> {
    if (this.kind === undefined && hooks.backendChoice !== 'auto') this.learn(hooks.backendChoice);
    const attempt = await newAttempt(this.options.cache.layout, job, hooks);
    if (!(attempt instanceof AttemptFolder)) return attempt;
    const gpu = job.resource === 'gpu' ? this.freeGpus.shift() : undefined;
    try {
      return await this.runWorker(job, attempt, hooks, gpu);
    } finally {
      if (gpu !== undefined) this.freeGpus.push(gpu);
    }
  }

  /** A GPU backend caps gpu nodes at one per GPU; on wasm/cpu they take any process slot. */
  private learn(kind: BackendChoice): void {
    if (kind === 'auto' || this.kind !== undefined) return;
    this.kind = kind;
    this.shared?.setLimit('gpu', kind === 'gpu' || kind === 'webgpu' ? Math.max(1, this.gpuCount) : this.jobs);
  }

  private async runWorker(job: NodeJob, attempt: AttemptFolder, hooks: ExecutionHooks, gpu: string | undefined): Promise<ExecutionResult> {
    const [program, ...flags] = this.options.command;
    const args = [
      ...flags,
      'run-node',
      job.key,
      '--cache',
      this.options.cache.root,
      '--attempt',
      attempt.name,
      '--executor',
      'processes',
      '--backend',
      this.kind ?? hooks.backendChoice,
      '--stop-with-parent',
    ];
    const env: NodeJS.ProcessEnv = {
      ...(this.options.env ?? process.env),
      // tfjs-node-gpu would otherwise take all of the GPU's memory in the first process that touches it.
      TF_FORCE_GPU_ALLOW_GROWTH: 'true',
      ...(gpu === undefined ? {} : { CUDA_VISIBLE_DEVICES: gpu }),
    };
    const oomBefore = oomKills();
    let child: ChildProcess;
    const log = await fs.open(attempt.logFile, 'a');
    try {
      child = spawn(program, args, { stdio: ['ignore', log.fd, log.fd], detached: true, env });
    } catch (error) {
      return { ok: false, failure: { reason: 'worker-error', message: `cannot start ${program}: ${(error as Error).message}` } };
    } finally {
      await log.close();
    }
    this.track(child);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | { error: Error }>((resolve) => {
      child.once('error', (error) => resolve({ error }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const stop = (): void => {
      child.kill('SIGTERM');
    };
    hooks.signal.addEventListener('abort', stop, { once: true });
    if (hooks.signal.aborted) stop();
    const follower = new EventFollower(attempt.eventsFile, (line) => {
      if (line.t === 'backend') this.learn(line.info.kind);
      replayLine(line, hooks);
    });
    let ended: Awaited<typeof exited> | undefined;
    try {
      while (ended === undefined) {
        ended = await Promise.race([exited, delay(this.options.pollMs ?? 100).then(() => undefined)]);
        await follower.poll();
      }
    } finally {
      hooks.signal.removeEventListener('abort', stop);
      this.untrack(child);
    }
    if ('error' in ended) return { ok: false, failure: { reason: 'worker-error', message: `cannot start ${program}: ${ended.error.message}` } };
    const { code, signal } = ended;
    return collectResult(this.options.cache, attempt, hooks.signal, () => {
      if (signal !== null) {
        const oomAfter = oomKills();
        const oom = signal === 'SIGKILL' && oomBefore !== undefined && oomAfter !== undefined && oomAfter > oomBefore;
        return { kind: 'killed', signal, oom };
      }
      return { kind: 'exited', code: code ?? -1 };
    });
  }

  private track(child: ChildProcess): void {
    if (this.children.size === 0) process.on('exit', this.onExit);
    this.children.add(child);
  }

  private untrack(child: ChildProcess): void {
    this.children.delete(child);
    if (this.children.size === 0) process.off('exit', this.onExit);
  }
}
