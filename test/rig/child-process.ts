import { type ChildProcess, spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { RunEvent } from '../../engine/run/events';
import type { ResolvedExperiment } from '../../engine/experiment/resolved';

const root = path.resolve(__dirname, '..', '..');

/** A `child-run.ts` process and what it printed. */
export interface ChildRun {
  child: ChildProcess;
  events: RunEvent[];
  stderr(): string;
  /** Resolves with the exit code (or the signal's name when killed). */
  exited: Promise<number | string>;
}

/** Starts `child-run.ts`; with `goFile`, the child waits for that file to exist before running (see startTogether). */
export async function startChildRun(experiment: ResolvedExperiment, cacheDir: string, scratch: string, goFile?: string): Promise<ChildRun> {
  const file = path.join(scratch, `experiment-${Math.random().toString(36).slice(2)}.json`);
  await fs.writeFile(file, JSON.stringify(experiment));
  const child = spawn(
    process.execPath,
    ['-r', path.join(root, 'test/rig/ts-register.js'), path.join(root, 'test/rig/child-run.ts'), file, cacheDir, ...(goFile === undefined ? [] : [goFile])],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const events: RunEvent[] = [];
  let pending = '';
  let errors = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line !== '') events.push(JSON.parse(line) as RunEvent);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, events, stderr: () => errors, exited };
}

/** Starts `count` children on one experiment and cache, and lets them run only once all are loaded. */
export async function startTogether(count: number, experiment: ResolvedExperiment, cacheDir: string, scratch: string): Promise<ChildRun[]> {
  const goFile = path.join(scratch, `go-${Math.random().toString(36).slice(2)}`);
  const children = await Promise.all(Array.from({ length: count }, () => startChildRun(experiment, cacheDir, scratch, goFile)));
  const ready = async (): Promise<boolean> => (await fs.readdir(scratch)).filter((name) => name.startsWith(`${path.basename(goFile)}.ready.`)).length === count;
  await waitFor(ready, 60_000, `${count} children to load`);
  await fs.writeFile(goFile, '');
  return children;
}

/** Polls until `condition` holds, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
