import { type ChildProcess, spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { Cache } from '../../engine/cache/cache';
import type { RunEvent } from '../../engine/run/events';
import { listRuns } from '../../engine/run/run-record';
import { waitFor } from '../rig/child-process';
import { ExperimentTree } from '../rig/experiment-tree';

/**
 * `cardigan run` as a user starts it, stopped with SIGTERM while train-spade is in the middle of its
 * epochs: the process must end promptly with the interrupted exit code, publish no entry for the
 * node, and record the run as interrupted. A quickstart once went on training after two SIGTERMs:
 * they were sent to `npx`, which dies without passing them on (engine/run/parent-watch.ts).
 */

const root = path.resolve(__dirname, '..', '..');
const HEARTS = path.join(root, 'test/rig/hearts-node.ts');

const EXPERIMENT = `name: sigterm
seed: 3
plugins: [${JSON.stringify(HEARTS)}]
nodes:
  hearts: { type: t-hearts, params: { count: 8, size: 32 } }
  spade:
    type: train-spade
    inputs: { data: hearts.dataset }
    params: { ngf: 4, ndf: 4, hidden: 16, batchSize: 2, epochs: 1000, samples: 4 }
`;

let tree: ExperimentTree;
beforeEach(async () => {
  tree = await ExperimentTree.create({ 'sigterm.yaml': EXPERIMENT });
});
afterEach(async () => {
  await tree.remove();
});

interface Started {
  child: ChildProcess;
  events: RunEvent[];
  stderr(): string;
  exited: Promise<number | string>;
}

/** Starts `cardigan run --json` on the experiment, through `npx` when asked (npm exec → sh -c → node). */
function startRun(viaNpx: boolean): Started {
  const cli = [
    '-r',
    path.join(root, 'test/rig/ts-register.js'),
    path.join(root, 'nodes/cardigan.ts'),
    'run',
    tree.path('sigterm.yaml'),
    '--cache',
    tree.path('cache'),
    '--json',
  ];
  const child = viaNpx
    ? spawn('npx', ['--offline', 'node', ...cli], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, cli, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: RunEvent[] = [];
  let pending = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as RunEvent);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, events, stderr: () => stderr, exited };
}

async function waitForTraining(run: Started): Promise<void> {
  const training = (): boolean =>
    run.events.some((event) => event.type === 'node-progress' && event.node === 'spade' && event.unit === 'epoch' && event.done > 0);
  await waitFor(() => training() || run.child.exitCode !== null, 90_000, 'train-spade to be training');
  expect({ exitCode: run.child.exitCode, stderr: run.stderr() }).toEqual({ exitCode: null, stderr: '' });
}

/** What a stopped run must leave: an interrupted record, the dataset's entry only, no temp entry, no lock. */
async function expectStoppedCleanly(): Promise<void> {
  const cache = new Cache(tree.path('cache'));
  const [run] = await listRuns(cache.layout);
  expect(run.outcome).toBe('interrupted');
  expect(run.exitCode).toBe(130);
  expect(run.nodes.map((node) => [node.id, node.status])).toEqual([
    ['hearts', 'done'],
    ['spade', 'interrupted'],
  ]);
  expect(await cache.keys()).toEqual([run.nodes[0].key]);
  expect(await fs.readdir(cache.layout.tmpDir)).toEqual([]);
  expect(await fs.readdir(cache.layout.locksDir)).toEqual([]);
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`still running after ${ms} ms`), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

// SIGINT takes the same handler in engine/cli/commands/run.ts; test/engine/processes.test.ts sends it to a run.
test('SIGTERM mid-training: exit 130 within seconds, no entry for train-spade, the run recorded as interrupted', async () => {
  const run = startRun(false);
  try {
    await waitForTraining(run);
    run.child.kill('SIGTERM');
    expect({ code: await within(run.exited, 10_000), stderr: run.stderr() }).toEqual({ code: 130, stderr: '' });
  } finally {
    run.child.kill('SIGKILL');
  }
  expect(run.events.map((event) => event.type)).toContain('interrupt');
  expect(run.events).toContainEqual(expect.objectContaining({ type: 'node-interrupted', node: 'spade' }));
  await expectStoppedCleanly();
}, 120_000);

test('SIGTERM to `npx cardigan run`: npm dies without passing it on, and cardigan stops all the same', async () => {
  const run = startRun(true);
  let orphan: number | undefined;
  try {
    await waitForTraining(run);
    // The process that holds train-spade's lock (a `run-node` worker of the coordinator, itself npx's
    // grandchild) is what must stop; then the coordinator records the run and removes its marker.
    const layout = new Cache(tree.path('cache')).layout;
    const [lock] = await fs.readdir(layout.locksDir);
    orphan = (JSON.parse(await fs.readFile(path.join(layout.locksDir, lock), 'utf8')) as { pid: number }).pid;
    expect(orphan).not.toBe(run.child.pid);
    run.child.kill('SIGTERM');
    await run.exited;
    await waitFor(() => !alive(orphan as number), 10_000, `cardigan (pid ${orphan}) to stop after npx was terminated`);
    await waitFor(async () => (await fs.readdir(layout.activeDir).catch(() => [])).length === 0, 10_000, 'the run to be recorded');
  } finally {
    run.child.kill('SIGKILL');
    if (orphan !== undefined && alive(orphan)) process.kill(orphan, 'SIGKILL');
  }
  await expectStoppedCleanly();
}, 120_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
