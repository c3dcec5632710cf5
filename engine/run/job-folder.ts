import { randomBytes } from 'crypto';
import { appendFileSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import type { BackendChoice, BackendInfo } from '../compute/backend';
import type { CacheLayout } from '../cache/layout';
import { writeFileAtomic } from '../fs-atomic';
import type { NodeJob } from '../keys/job';
import type { ProgressUpdate } from '../node-api';
import { unreachable } from '../errors';
import type { LockHolder, NodeFailure, WorkerReport } from './executor';

/**
 * `cache/jobs/<key>/<attempt>/`: one attempt at computing a key outside the coordinator, all of it
 * on the cache's filesystem so that a worker on another machine needs nothing from the coordinator's
 * memory, and the coordinator learns everything from files it follows:
 *
 *   job.json       what to compute (JobFile), written by the coordinator before the worker starts
 *   events.jsonl   what the worker says while it runs (WorkerLine, one JSON object per line, appended)
 *   result.json    how it ended (WorkerResult), written atomically by the worker as its last act
 *   worker.log     the worker's stdout and stderr
 *   slurm.json     for Slurm: the job id, written as soon as sbatch answers
 *
 * Attempt names sort by creation time, so the newest attempt is the last name.
 */
export interface JobFile {
  format: 1;
  job: NodeJob;
  /** Absolute paths of the experiment's plugins: the worker registers them beside the program's node types. */
  plugins: string[];
  runId: string;
  backend: BackendChoice;
  replace: boolean;
  lockPollMs: number;
  /** The cardigan version that planned the job: a worker of another version refuses it. */
  cardigan: string;
  writtenAt: string;
}

/** One line of events.jsonl. */
export type WorkerLine =
  | { t: 'waiting'; holder: LockHolder | null }
  | { t: 'lock-broken'; holder: { pid: number; host: string } }
  | { t: 'backend'; info: BackendInfo }
  | { t: 'started'; checkpoint: boolean; pid: number; host: string }
  | { t: 'progress'; update: ProgressUpdate }
  | { t: 'log'; message: string };

/** result.json. A success names no record: the coordinator reads (and verifies) the committed entry itself. */
export type WorkerResult = { ok: true; status: 'done' | 'cached'; resumed: boolean } | { ok: false; failure: NodeFailure };

export class AttemptFolder {
  constructor(
    readonly key: string,
    readonly name: string,
    readonly dir: string,
  ) {}

  /** A new attempt folder for the key. */
  static async create(layout: CacheLayout, key: string): Promise<AttemptFolder> {
    const name = `${Date.now().toString(36).padStart(9, '0')}-${randomBytes(4).toString('hex')}`;
    const dir = layout.attemptDir(key, name);
    await fs.mkdir(dir, { recursive: true });
    return new AttemptFolder(key, name, dir);
  }

  /** The named attempt, or the newest when `name` is undefined; undefined when there is none. */
  static async open(layout: CacheLayout, key: string, name?: string): Promise<AttemptFolder | undefined> {
    if (name !== undefined) {
      const dir = layout.attemptDir(key, name);
      return (await exists(dir)) ? new AttemptFolder(key, name, dir) : undefined;
    }
    const names = (await AttemptFolder.list(layout, key)).map((attempt) => attempt.name);
    const newest = names[names.length - 1];
    return newest === undefined ? undefined : new AttemptFolder(key, newest, layout.attemptDir(key, newest));
  }

  /** Every attempt of a key, oldest first. */
  static async list(layout: CacheLayout, key: string): Promise<AttemptFolder[]> {
    let names: string[];
    try {
      names = await fs.readdir(layout.jobDir(key));
    } catch {
      return [];
    }
    return names
      .filter((name) => /^[0-9a-z]{9}-[0-9a-f]{8}$/.test(name))
      .sort()
      .map((name) => new AttemptFolder(key, name, layout.attemptDir(key, name)));
  }

  get jobFile(): string {
    return path.join(this.dir, 'job.json');
  }

  get eventsFile(): string {
    return path.join(this.dir, 'events.jsonl');
  }

  get resultFile(): string {
    return path.join(this.dir, 'result.json');
  }

  get logFile(): string {
    return path.join(this.dir, 'worker.log');
  }

  file(name: string): string {
    return path.join(this.dir, name);
  }

  writeJob(job: JobFile): Promise<void> {
    return writeFileAtomic(this.jobFile, JSON.stringify(job, null, 2) + '\n');
  }

  /** The job, or why it cannot be read (missing, not JSON, not a job of this format). */
  async readJob(): Promise<JobFile | { error: string }> {
    let text: string;
    try {
      text = await fs.readFile(this.jobFile, 'utf8');
    } catch (error) {
      return { error: `cannot read ${this.jobFile}: ${(error as Error).message}` };
    }
    let value: Partial<JobFile>;
    try {
      value = JSON.parse(text) as Partial<JobFile>;
    } catch (error) {
      return { error: `${this.jobFile} is not valid JSON (${(error as Error).message})` };
    }
    if (value.format !== 1) return { error: `${this.jobFile} has format ${String(value.format)}; this cardigan reads format 1` };
    if (typeof value.job !== 'object' || value.job === null || value.job.key !== this.key) return { error: `${this.jobFile} is not a job for key ${this.key}` };
    if (typeof value.cardigan !== 'string' || !Array.isArray(value.plugins) || typeof value.runId !== 'string')
      return { error: `${this.jobFile} lacks cardigan, plugins or runId` };
    return value as JobFile;
  }

  /** Appended synchronously, so that lines keep their order and a crash loses at most the line being written. */
  appendEvent(line: WorkerLine): void {
    appendFileSync(this.eventsFile, JSON.stringify(line) + '\n');
  }

  writeResult(result: WorkerResult): Promise<void> {
    return writeFileAtomic(this.resultFile, JSON.stringify(result) + '\n');
  }

  async readResult(): Promise<WorkerResult | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.resultFile, 'utf8')) as WorkerResult;
    } catch {
      return undefined;
    }
  }

  /** The last `count` non-empty lines of a log in this folder (the worker's by default). */
  async logTail(count = 12, file = this.logFile): Promise<string[]> {
    let text: string;
    try {
      const handle = await fs.open(file, 'r');
      try {
        const { size } = await handle.stat();
        const length = Math.min(size, 64 * 1024);
        const buffer = Buffer.alloc(length);
        await handle.read(buffer, 0, length, size - length);
        text = buffer.toString('utf8');
      } finally {
        await handle.close();
      }
    } catch {
      return [];
    }
    return text
      .split('\n')
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-count);
  }

  remove(): Promise<void> {
    return fs.rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Reads events.jsonl as it grows: each `poll` hands over the complete lines added since the last.
 * Polling, not fs.watch, because the file may be written on another machine (NFS).
 */
export class EventFollower {
  private offset = 0;
  private pending = '';
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly file: string,
    private readonly onLine: (line: WorkerLine) => void,
  ) {}

  async poll(): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch {
      return;
    }
    try {
      for (;;) {
        const buffer = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.pending += this.decoder.write(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    const lines = this.pending.split('\n');
    this.pending = lines.pop() ?? '';
    for (const text of lines) {
      if (text === '') continue;
      let line: WorkerLine;
      try {
        line = JSON.parse(text) as WorkerLine;
      } catch {
        continue;
      }
      this.onLine(line);
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** The worker's side: a WorkerReport that appends each call to events.jsonl (and log lines to stdout, the worker's log). */
export function reportToFile(attempt: AttemptFolder): WorkerReport {
  return {
    waiting: (holder) => attempt.appendEvent({ t: 'waiting', holder }),
    lockBroken: (holder) => attempt.appendEvent({ t: 'lock-broken', holder }),
    backend: (info) => attempt.appendEvent({ t: 'backend', info }),
    started: (checkpoint) => attempt.appendEvent({ t: 'started', checkpoint, pid: process.pid, host: os.hostname() }),
    progress: (update) => attempt.appendEvent({ t: 'progress', update }),
    log: (message) => {
      attempt.appendEvent({ t: 'log', message });
      process.stdout.write(`${message}\n`);
    },
    // Only a cluster's queue knows this; a worker never says it.
    queued: () => undefined,
  };
}

/** The coordinator's side: one line read back from events.jsonl, told to the run's hooks. */
export function replayLine(line: WorkerLine, report: WorkerReport): void {
  switch (line.t) {
    case 'waiting':
      report.waiting(line.holder);
      return;
    case 'lock-broken':
      report.lockBroken(line.holder);
      return;
    case 'backend':
      report.backend(line.info);
      return;
    case 'started':
      report.started(line.checkpoint);
      return;
    case 'progress':
      report.progress(line.update);
      return;
    case 'log':
      report.log(line.message);
      return;
    default:
      unreachable(line);
  }
}
