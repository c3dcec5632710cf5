import { execFile } from 'child_process';
import * as os from 'os';

/**
 * The Slurm commands the executor uses, as data: sbatch, squeue, scontrol, scancel. Without a
 * database (slurmdbd) `sacct` does not work, so states come from `squeue -t all` (finished jobs stay
 * listed for the cluster's MinJobAge) and `scontrol show job`; nothing here needs accounting.
 * Errors that mean "the controller cannot be reached right now" are told apart from refusals, so
 * the executor can retry the first and fail the node on the second.
 */
export interface CommandOutput {
  /** Exit code; null when the command could not start or was killed (timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export type RunCommand = (program: string, args: readonly string[], timeoutMs: number) => Promise<CommandOutput>;

export const runCommand: RunCommand = (program, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(program, [...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      const code = typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr: stderr === '' ? error.message : stderr });
    });
  });

export type Submission = { ok: true; jobId: string } | { ok: false; transient: boolean; message: string };

/** A job as `squeue` lists it: its state (PENDING, RUNNING, COMPLETED, FAILED, …) and Slurm's reason. */
export interface QueuedJob {
  state: string;
  reason: string;
}

export type QueueAnswer = { ok: true; jobs: Map<string, QueuedJob> } | { ok: false; message: string };

/** What `scontrol show job` adds for a finished job. */
export interface JobDetail {
  state: string;
  reason: string;
  /** `code:signal`, e.g. `3:0` or `0:9`. */
  exitCode: string;
}

const TRANSIENT =
  /unable to contact slurm controller|socket timed out|zero bytes were transmitted|resource temporarily unavailable|connection refused|connection reset|temporarily unable|communications? (connection )?failure|slurm_persist_conn|try again/i;

export class SlurmCli {
  constructor(
    private readonly run: RunCommand = runCommand,
    private readonly user: string = os.userInfo().username,
  ) {}

  async submit(args: readonly string[]): Promise<Submission> {
    const out = await this.run('sbatch', args, 120_000);
    if (out.code === 0) {
      const jobId = out.stdout.trim().split(';')[0];
      if (/^\d+$/.test(jobId)) return { ok: true, jobId };
      return { ok: false, transient: false, message: `sbatch --parsable printed ${JSON.stringify(out.stdout.trim())}, not a job id` };
    }
    const message = slurmMessage(out, 'sbatch');
    return { ok: false, transient: out.code === null || TRANSIENT.test(message), message };
  }

  /** One call for every job of this user, finished ones included. */
  async queue(): Promise<QueueAnswer> {
    const out = await this.run('squeue', ['-h', '-t', 'all', '-u', this.user, '-o', '%i|%T|%r'], 60_000);
    if (out.code !== 0) return { ok: false, message: slurmMessage(out, 'squeue') };
    const jobs = new Map<string, QueuedJob>();
    for (const line of out.stdout.split('\n')) {
      const [id, state, reason] = line.trim().split('|');
      if (id === undefined || id === '' || state === undefined) continue;
      jobs.set(id, { state, reason: reason ?? '' });
    }
    return { ok: true, jobs };
  }

  /** undefined when the controller no longer knows the job (gone after MinJobAge) or cannot be reached. */
  async show(jobId: string): Promise<JobDetail | undefined> {
    const out = await this.run('scontrol', ['-o', 'show', 'job', jobId], 60_000);
    if (out.code !== 0) return undefined;
    const field = (name: string): string => new RegExp(`(?:^| )${name}=(\\S*)`).exec(out.stdout)?.[1] ?? '';
    return { state: field('JobState'), reason: field('Reason'), exitCode: field('ExitCode') };
  }

  /** Cancels jobs, many per call; returns Slurm's complaint when it refused. */
  async cancel(jobIds: readonly string[]): Promise<string | undefined> {
    for (let i = 0; i < jobIds.length; i += 100) {
      const out = await this.run('scancel', jobIds.slice(i, i + 100), 60_000);
      if (out.code !== 0) return slurmMessage(out, 'scancel');
    }
    return undefined;
  }
}

/** Slurm's own words, without the `sbatch: error:` prefixes, on one line each. */
function slurmMessage(out: CommandOutput, program: string): string {
  const text = (out.stderr.trim() === '' ? out.stdout : out.stderr).trim();
  if (text === '') return `${program} failed${out.code === null ? ' (did not answer in time)' : ` with exit code ${out.code}`}`;
  return text
    .split('\n')
    .map((line) => line.replace(new RegExp(`^${program}: (error: )?`), '').trim())
    .filter((line) => line !== '')
    .join('; ');
}
