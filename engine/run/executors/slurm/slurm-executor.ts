import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import { setTimeout as delay } from 'timers/promises';
import type { Cache } from '../../../cache/cache';
import type { NodeJob } from '../../../keys/job';
import type { ExecutionHooks, ExecutionResult, Executor, NodeSlots } from '../../executor';
import { AttemptFolder, EventFollower, replayLine } from '../../job-folder';
import { newAttempt } from '../new-attempt';
import { Slots } from '../../slots';
import { type WorkerEnd, collectResult } from '../worker-result';
import { type SlurmProfile, settingsFor } from './profile';
import { SlurmQueue } from './queue';
import { sbatchArgs } from './sbatch-args';
import { SlurmCli } from './slurm-cli';
import { meaningOf } from './states';

export interface SlurmExecutorOptions {
  /** A cache on the cluster's shared filesystem: the coordinator and every compute node see it at this path. */
  cache: Cache;
  profile: SlurmProfile;
  /** What starts cardigan on a compute node when the profile does not say (the coordinator's own command). */
  command: readonly string[] | undefined;
  cli?: SlurmCli;
  /** How often an attempt's files are read, in ms (default: a second, or the poll interval if shorter). */
  followMs?: number;
}

/** `slurm.json` in an attempt folder, written the moment sbatch answers. */
interface SubmittedJob {
  jobId: string;
  submittedAt: string;
  sbatch: string[];
}

type Followed = { kind: 'final'; result: ExecutionResult } | { kind: 'retry'; state: string };

/**
 * Each node a Slurm job running `cardigan run-node` against the shared cache; the coordinator alone
 * owns the graph (DESIGN.md §1). A node's outcome is decided by the attempt's result.json and the
 * committed, verified entry — Slurm's state only explains a failure or tells that a job is gone.
 * States come from one batched squeue call per poll (SlurmQueue). NODE_FAIL, PREEMPTED and BOOT_FAIL
 * are submitted again up to `retries` times, each in a new attempt folder. Ctrl-C cancels every job
 * of the run. A coordinator that was killed finds its jobs again: before submitting a key, the jobs
 * recorded in its attempt folders that Slurm still lists as pending or running are adopted.
 */
export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  private readonly cli: SlurmCli;
  private readonly queue: SlurmQueue;
  private readonly live = new Set<string>();
  private readonly following = new Set<ExecutionHooks>();
  private readonly listening = new WeakSet<AbortSignal>();
  private cancelled: Promise<void> | undefined;
  private readonly onExit = (): void => {
    // A second Ctrl-C quits at once: cancel synchronously what is still queued or running.
    if (this.live.size === 0) return;
    try {
      execFileSync('scancel', [...this.live], { stdio: 'ignore', timeout: 30_000 });
    } catch {
      // Nothing more can be done on the way out; the next run adopts or the user scancels.
    }
  };

  constructor(private readonly options: SlurmExecutorOptions) {
    this.cli = options.cli ?? new SlurmCli();
    this.queue = new SlurmQueue(
      this.cli,
      options.profile.pollSeconds * 1000,
      (message) => this.tellFollowers(`Slurm controller unreachable (${message}); polling again with back-off`),
      () => this.tellFollowers('Slurm controller reachable again'),
    );
  }

  slots(jobs: number): NodeSlots {
    // Slurm schedules the cluster; the run only caps how many of its jobs are queued at once.
    return new Slots({ cpu: jobs, gpu: jobs, total: jobs });
  }

  async execute(job: NodeJob, hooks: ExecutionHooks): Promise<ExecutionResult> {
    const command = this.options.profile.command ?? this.options.command;
    if (command === undefined) {
      return {
        ok: false,
        failure: {
          reason: 'worker-error',
          message: 'the Slurm profile sets no "command" that starts cardigan on a compute node, and this program cannot name its own',
        },
      };
    }
    this.listenForAbort(hooks.signal);
    this.following.add(hooks);
    try {
      let current = await this.adopt(job, hooks);
      let retriesLeft = this.options.profile.retries;
      for (;;) {
        if (current === undefined) {
          const submitted = await this.submit(job, hooks, command);
          if ('ok' in submitted) return submitted;
          current = submitted;
        }
        const followed = await this.follow(current.attempt, current.jobId, hooks);
        if (followed.kind === 'final') return followed.result;
        if (retriesLeft === 0 || hooks.signal.aborted) {
          return collectResult(
            this.options.cache,
            current.attempt,
            hooks.signal,
            () => ({ kind: 'slurm', state: followed.state, detail: `job ${current?.jobId}, after ${this.options.profile.retries} retries` }),
            current.attempt.file(`slurm-${current.jobId}.out`),
          );
        }
        retriesLeft--;
        hooks.log(
          `Slurm job ${current.jobId} ended ${followed.state} (the machine failed, not the node): submitting it again, ${retriesLeft} retr${retriesLeft === 1 ? 'y' : 'ies'} left`,
        );
        current = undefined;
      }
    } finally {
      this.following.delete(hooks);
    }
  }

  /** A job of this key still pending or running from an earlier coordinator, instead of a duplicate. */
  private async adopt(job: NodeJob, hooks: ExecutionHooks): Promise<{ attempt: AttemptFolder; jobId: string } | undefined> {
    const candidates: { attempt: AttemptFolder; jobId: string }[] = [];
    for (const attempt of await AttemptFolder.list(this.options.cache.layout, job.key)) {
      const submitted = await readSubmitted(attempt);
      if (submitted !== undefined && (await attempt.readResult()) === undefined) candidates.push({ attempt, jobId: submitted.jobId });
    }
    if (candidates.length === 0) return undefined;
    let wait = 5_000;
    for (;;) {
      const jobs = await this.queue.pollNow();
      if (jobs !== undefined) {
        for (const candidate of candidates.reverse()) {
          const queued = jobs.get(candidate.jobId);
          if (queued === undefined || meaningOf(queued.state) !== 'active') continue;
          hooks.log(`adopting Slurm job ${candidate.jobId} (${queued.state}), submitted by an earlier run for this key`);
          this.remember(candidate.jobId);
          return candidate;
        }
        return undefined;
      }
      // Not knowing whether the job still runs, submitting again could compute the key twice: wait.
      if (hooks.signal.aborted) return undefined;
      hooks.log(`Slurm controller unreachable; looking again in ${wait / 1000} s for the job an earlier run submitted`);
      await delay(wait, undefined, { signal: hooks.signal }).catch(() => undefined);
      wait = Math.min(wait * 2, 300_000);
    }
  }

  private async submit(job: NodeJob, hooks: ExecutionHooks, command: readonly string[]): Promise<{ attempt: AttemptFolder; jobId: string } | ExecutionResult> {
    const attempt = await newAttempt(this.options.cache.layout, job, hooks);
    if (!(attempt instanceof AttemptFolder)) return attempt;
    const args = sbatchArgs(job, attempt, settingsFor(this.options.profile, job), {
      command,
      cacheRoot: this.options.cache.root,
      backend: hooks.backendChoice,
    });
    let wait = 5_000;
    for (;;) {
      if (hooks.signal.aborted) {
        await attempt.remove();
        return { ok: false, failure: { reason: 'interrupted' } };
      }
      const submitted = await this.cli.submit(args);
      if (submitted.ok) {
        this.remember(submitted.jobId);
        const record: SubmittedJob = { jobId: submitted.jobId, submittedAt: new Date().toISOString(), sbatch: args };
        await fs.writeFile(attempt.file('slurm.json'), JSON.stringify(record, null, 2) + '\n');
        hooks.queued('SUBMITTED', `job ${submitted.jobId}`);
        if (hooks.signal.aborted) await this.cancelAll();
        return { attempt, jobId: submitted.jobId };
      }
      if (!submitted.transient) {
        await attempt.remove();
        return { ok: false, failure: { reason: 'submit-failed', message: `sbatch refused the job: ${submitted.message}` } };
      }
      hooks.log(`sbatch: ${submitted.message}; trying again in ${wait / 1000} s`);
      await delay(wait, undefined, { signal: hooks.signal }).catch(() => undefined);
      wait = Math.min(wait * 2, 300_000);
    }
  }

  /** Follows one job until its result is in, it ends without one, or it must be submitted again. */
  private async follow(attempt: AttemptFolder, jobId: string, hooks: ExecutionHooks): Promise<Followed> {
    const { profile } = this.options;
    const followMs = this.options.followMs ?? Math.min(1000, profile.pollSeconds * 1000);
    const lostAfterMs = profile.lostAfterSeconds * 1000;
    const logFile = attempt.file(`slurm-${jobId}.out`);
    const unwatch = this.queue.watch(jobId);
    const follower = new EventFollower(attempt.eventsFile, (line) => replayLine(line, hooks));
    let shown = '';
    let endedAt: number | undefined;
    let abortedAt: number | undefined;
    const final = async (end: () => WorkerEnd): Promise<Followed> => ({
      kind: 'final',
      result: await collectResult(this.options.cache, attempt, hooks.signal, end, logFile),
    });
    try {
      for (;;) {
        await delay(followMs);
        await follower.poll();
        const result = await attempt.readResult();
        const sighting = this.queue.latest(jobId);
        const ended = sighting !== undefined && (sighting.seen === 'gone' || meaningOf(sighting.job.state) !== 'active');
        if (hooks.signal.aborted) {
          abortedAt ??= Date.now();
          // Cancelled by cancelAll: wait for the worker to stop (it writes "interrupted"), a while at most.
          if (result !== undefined || ended || Date.now() - abortedAt > 60_000)
            return { kind: 'final', result: { ok: false, failure: { reason: 'interrupted' } } };
          continue;
        }
        if (result !== undefined && (result.ok || result.failure.reason !== 'interrupted')) return await final(() => ({ kind: 'lost', message: '' }));
        if (sighting === undefined) continue;
        if (sighting.seen === 'listed' && !ended) {
          const text = `${sighting.job.state}|${sighting.job.reason}`;
          if (text !== shown) {
            shown = text;
            hooks.queued(sighting.job.state, sighting.job.reason);
          }
          continue;
        }
        // Ended (or gone) without a usable result: give the shared filesystem time to show one.
        endedAt ??= Date.now();
        const state = sighting.seen === 'listed' ? sighting.job.state.split(' ')[0] : undefined;
        const meaning = state === undefined ? undefined : meaningOf(state);
        const grace = meaning === 'failed' || meaning === 'retry' || result !== undefined ? Math.min(lostAfterMs, 30_000) : lostAfterMs;
        if (Date.now() - endedAt < grace) continue;
        if (state === undefined) {
          return await final(() => ({ kind: 'lost', message: `Slurm job ${jobId} left the queue without a result in ${attempt.dir}` }));
        }
        if (meaning === 'retry') return { kind: 'retry', state };
        if (meaning === 'completed') {
          return await final(() => ({ kind: 'lost', message: `Slurm job ${jobId} ended COMPLETED but left no result in ${attempt.dir}` }));
        }
        const detail = await this.detail(jobId, logFile);
        const named = detail.oom && state === 'FAILED' ? 'OUT_OF_MEMORY' : state;
        // A worker that stopped on a signal not of the run's own (scancel, the time limit) says
        // "interrupted"; Slurm's state says which it was.
        if (result !== undefined)
          return {
            kind: 'final',
            result: { ok: false, failure: { reason: 'slurm', state: named, detail: detail.text, logTail: await attempt.logTail(12, logFile) } },
          };
        return await final(() => ({ kind: 'slurm', state: named, detail: detail.text }));
      }
    } finally {
      unwatch();
      this.forget(jobId);
    }
  }

  /** Job id, exit code and Slurm's reason, and whether the log says the memory limit was exceeded (no cgroups: FAILED, not OUT_OF_MEMORY). */
  private async detail(jobId: string, logFile: string): Promise<{ text: string; oom: boolean }> {
    const shown = await this.cli.show(jobId);
    const log = await fs.readFile(logFile, 'utf8').catch(() => '');
    const oom = /exceeded (job )?memory limit|oom-kill|out of memory/i.test(log);
    const parts = [`job ${jobId}`];
    if (shown !== undefined && shown.exitCode !== '') parts.push(`exit code ${shown.exitCode}`);
    if (shown !== undefined && shown.reason !== '' && shown.reason !== 'None') parts.push(`reason ${shown.reason}`);
    if (oom) parts.push('the job log says it exceeded its memory limit');
    return { text: parts.join(', '), oom };
  }

  private listenForAbort(signal: AbortSignal): void {
    if (this.listening.has(signal)) return;
    this.listening.add(signal);
    signal.addEventListener('abort', () => void this.cancelAll(), { once: true });
  }

  /** One scancel for every job of the run still queued or running. */
  private cancelAll(): Promise<void> {
    this.cancelled ??= (async () => {
      const ids = [...this.live];
      if (ids.length === 0) return;
      const refused = await this.cli.cancel(ids);
      if (refused !== undefined) this.tellFollowers(`scancel: ${refused}`);
    })().finally(() => {
      this.cancelled = undefined;
    });
    return this.cancelled;
  }

  /** Jobs queued or running; the process's exit handler cancels them while there are any. */
  private remember(jobId: string): void {
    if (this.live.size === 0) process.on('exit', this.onExit);
    this.live.add(jobId);
  }

  private forget(jobId: string): void {
    this.live.delete(jobId);
    if (this.live.size === 0) process.off('exit', this.onExit);
  }

  private tellFollowers(message: string): void {
    for (const hooks of this.following) hooks.log(message);
  }
}

async function readSubmitted(attempt: AttemptFolder): Promise<SubmittedJob | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(attempt.file('slurm.json'), 'utf8')) as Partial<SubmittedJob>;
    return typeof value.jobId === 'string' ? (value as SubmittedJob) : undefined;
  } catch {
    return undefined;
  }
}
