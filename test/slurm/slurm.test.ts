import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunEvent } from '../../engine/run/events';
import type { RunRecord } from '../../engine/run/run-record';
import { AttemptFolder } from '../../engine/run/job-folder';
import { CacheLayout } from '../../engine/cache/layout';
import { waitFor } from '../rig/child-process';
import { runCli } from '../rig/cli';
import { QUICKSTART, TINY, VALIDATION_WARNING } from '../rig/quickstart-tiny';
import { readCalls } from '../rig/runtime-nodes';
import { type SlurmCluster, startSlurmCluster } from '../rig/slurm-cluster';
import { describeWith } from '../rig/tools/presence';

/**
 * `cardigan run --executor slurm` against a real single-node Slurm cluster started on this machine
 * by test/slurm/cluster.sh (munged, slurmctld, slurmd; no cgroups, no accounting database), stopped
 * after the last test — exactly the pids it started. Needs Debian's slurmctld, slurmd, slurm-client
 * and munge, and root; without them these tests say so in one line and do not run (CI installs them
 * and sets CARDIGAN_STRICT_TOOLS=1, which makes their absence a failure).
 */

const root = path.resolve(__dirname, '..', '..');
const plugin = path.join(root, 'test/rig/runtime-nodes.ts');
const describeWithSlurm = describeWith('slurm');

interface Finished {
  code: number | string;
  events: RunEvent[];
  stderr: string;
}

describeWithSlurm('on a real Slurm cluster', () => {
  let cluster: SlurmCluster;
  let dir: string;
  let cache: string;
  let log: string;

  beforeAll(async () => {
    cluster = await startSlurmCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-slurm-run-'));
    cache = path.join(dir, 'cache');
    log = path.join(dir, 'calls.jsonl');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** An experiment of runtime test nodes (a plugin), one YAML line per node. */
  async function experiment(nodes: string[]): Promise<string> {
    const file = path.join(dir, 'e.yaml');
    await fs.writeFile(file, ['name: slurm-test', `plugins: [${JSON.stringify(plugin)}]`, 'nodes:', ...nodes.map((node) => `  ${node}`), ''].join('\n'));
    return file;
  }

  async function profile(lines: string[] = []): Promise<string> {
    const file = path.join(dir, 'slurm.yaml');
    await fs.writeFile(file, ['pollSeconds: 0.5', 'lostAfterSeconds: 10', 'memory: 2000M', ...lines, ''].join('\n'));
    return file;
  }

  function slurmArgs(file: string, profileFile: string, ...extra: string[]): string[] {
    return ['run', file, '--json', '--backend', 'cpu', '--cache', cache, '--executor', 'slurm', '--profile', profileFile, ...extra];
  }

  function eventsOf(stdout: string): RunEvent[] {
    return stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as RunEvent);
  }

  function runSync(args: string[]): Finished {
    const result = runCli(args, cluster.env, dir);
    return { code: result.code, events: eventsOf(result.stdout), stderr: result.stderr };
  }

  function start(args: string[]): { child: ChildProcess; finished: Promise<Finished>; stdout: () => string } {
    const child = spawn(process.execPath, ['-r', path.join(root, 'test/rig/ts-register.js'), path.join(root, 'nodes/cardigan.ts'), ...args], {
      cwd: dir,
      env: { ...process.env, ...cluster.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const finished = new Promise<Finished>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code: code ?? signal ?? 'unknown', events: eventsOf(stdout), stderr })),
    );
    return { child, finished, stdout: () => stdout };
  }

  async function record(events: RunEvent[]): Promise<RunRecord> {
    const end = events.find((event): event is Extract<RunEvent, { type: 'run-end' }> => event.type === 'run-end');
    if (end === undefined) throw new Error('no run-end event');
    return JSON.parse(await fs.readFile(end.record, 'utf8')) as RunRecord;
  }

  /** Every job of the cluster as `id|state|name`. */
  function jobs(): { id: string; state: string; name: string }[] {
    const text = execFileSync('squeue', ['-h', '-t', 'all', '-o', '%i|%T|%j'], { env: { ...process.env, ...cluster.env }, encoding: 'utf8' });
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [id, state, name] = line.split('|');
        return { id, state, name };
      });
  }

  async function jobIdOf(key: string): Promise<string> {
    for (const attempt of await AttemptFolder.list(new CacheLayout(cache), key)) {
      const text = await fs.readFile(attempt.file('slurm.json'), 'utf8').catch(() => '');
      if (text !== '') return (JSON.parse(text) as { jobId: string }).jobId;
    }
    throw new Error(`no Slurm job recorded for ${key}`);
  }

  const nodeKey = (node: string): string => readCalls(log).find((call) => call.node === node)?.key as string;
  const stepped = (node: string): boolean => readCalls(log).some((call) => call.node === node && call.event === 'end');

  test('the tiny quickstart as Slurm jobs gives every node the same key and outputs as a local run', async () => {
    const profileFile = await profile(['resources:', '  gpu: { gpus: 1 }']);
    const onSlurm = runCli(
      ['run', QUICKSTART, '--json', '--backend', 'wasm', '--cache', cache, '--executor', 'slurm', '--profile', profileFile, ...TINY],
      cluster.env,
      dir,
    );
    expect({ code: onSlurm.code, stderr: onSlurm.stderr }).toEqual({ code: 0, stderr: VALIDATION_WARNING });
    const local = runCli(
      ['run', QUICKSTART, '--json', '--backend', 'wasm', '--cache', path.join(dir, 'local-cache'), '--executor', 'inprocess', ...TINY],
      {},
      dir,
    );
    expect({ code: local.code, stderr: local.stderr }).toEqual({ code: 0, stderr: VALIDATION_WARNING });
    const results = (events: RunEvent[]): Record<string, { key: string; outputs: Record<string, string> }> =>
      Object.fromEntries(events.flatMap((e) => (e.type === 'node-done' ? [[e.node, { key: e.key, outputs: e.outputs }]] : [])));
    const slurmEvents = eventsOf(onSlurm.stdout);
    expect(Object.keys(results(slurmEvents))).toHaveLength(16);
    expect(results(slurmEvents)).toEqual(results(eventsOf(local.stdout)));

    // Where each node ran is provenance: the Slurm job id, never part of the key.
    const run = await record(slurmEvents);
    expect(run.options.executor).toBe('slurm');
    const entry = JSON.parse(await fs.readFile(new CacheLayout(cache).recordFile(run.nodes[0].key as string), 'utf8')) as {
      provenance: { executor: { name: string; jobId: string } };
    };
    expect(entry.provenance.executor).toEqual({ name: 'slurm', jobId: expect.stringMatching(/^\d+$/) });
    expect(jobs().filter((job) => job.name.startsWith('cardigan-') && job.state !== 'COMPLETED')).toEqual([]);
  }, 600_000);

  test('a node that throws fails with its error; the others are done', async () => {
    const file = await experiment([
      `bad: { type: t-fail, params: { message: no data for patient0042, log: ${JSON.stringify(log)} } }`,
      `ok: { type: t-emit, params: { value: fine, log: ${JSON.stringify(log)} } }`,
    ]);
    const result = runSync(slurmArgs(file, await profile()));
    expect(result.code).toBe(1);
    const run = await record(result.events);
    expect(run.nodes.map((node) => [node.id, node.status, node.error])).toEqual([
      ['bad', 'failed', 'no data for patient0042'],
      ['ok', 'done', null],
    ]);
  }, 120_000);

  test('a job sbatch refuses (a bad partition) fails its node with Slurm’s message and leaves no job behind', async () => {
    const file = await experiment([
      `g: { type: t-gpu, params: { value: g, log: ${JSON.stringify(log)} } }`,
      `a: { type: t-emit, params: { value: a, log: ${JSON.stringify(log)} } }`,
    ]);
    const result = runSync(slurmArgs(file, await profile(['resources:', '  gpu: { partition: nosuch }'])));
    expect(result.code).toBe(1);
    const run = await record(result.events);
    expect(run.nodes.map((node) => [node.id, node.status])).toEqual([
      ['g', 'failed'],
      ['a', 'done'],
    ]);
    expect(run.nodes[0].error).toBe(
      'sbatch refused the job: invalid partition specified: nosuch; Batch job submission failed: Invalid partition name specified',
    );
    expect(jobs().filter((job) => job.name.startsWith('cardigan-g-'))).toEqual([]);
    expect(jobs().filter((job) => job.state === 'PENDING' || job.state === 'RUNNING')).toEqual([]);
  }, 120_000);

  test('scancel from outside fails its node as CANCELLED; a time limit too short as TIMEOUT', async () => {
    const file = await experiment([
      `cancelled: { type: t-steps, params: { steps: 2000, stepMs: 100, log: ${JSON.stringify(log)} } }`,
      `late: { type: t-gpu, params: { value: late, sleepMs: 600000, log: ${JSON.stringify(log)} } }`,
    ]);
    const running = start(slurmArgs(file, await profile(['types:', '  t-gpu: { time: 1 }'])));
    await waitFor(() => stepped('cancelled') && readCalls(log).some((call) => call.node === 'late'), 60_000, 'both jobs running');
    execFileSync('scancel', [await jobIdOf(nodeKey('cancelled'))], { env: { ...process.env, ...cluster.env } });
    const result = await running.finished;
    expect(result.code).toBe(1);
    const run = await record(result.events);
    expect(run.nodes.map((node) => [node.id, node.status])).toEqual([
      ['cancelled', 'failed'],
      ['late', 'failed'],
    ]);
    expect(run.nodes[0].error).toMatch(/^Slurm job ended CANCELLED \(job \d+/);
    expect(run.nodes[1].error).toMatch(/^Slurm job ended TIMEOUT \(job \d+/);
  }, 300_000);

  test('Ctrl-C cancels the run’s jobs and records the run as interrupted', async () => {
    const file = await experiment([`slow: { type: t-steps, params: { steps: 2000, stepMs: 100, log: ${JSON.stringify(log)} } }`]);
    const running = start(slurmArgs(file, await profile()));
    await waitFor(() => stepped('slow'), 60_000, 'the job running');
    const jobId = await jobIdOf(nodeKey('slow'));
    running.child.kill('SIGINT');
    const result = await running.finished;
    expect(result.code).toBe(130);
    const run = await record(result.events);
    expect([run.outcome, run.interrupted, run.nodes[0].status]).toEqual(['interrupted', true, 'interrupted']);
    await waitFor(() => jobs().find((job) => job.id === jobId)?.state === 'CANCELLED', 30_000, `job ${jobId} cancelled`);
  }, 120_000);

  test('a coordinator killed with -9 and started again adopts the job still running instead of submitting it twice', async () => {
    const file = await experiment([
      `slow: { type: t-steps, params: { steps: 100, stepMs: 150, log: ${JSON.stringify(log)} } }`,
      `after: { type: t-join, params: { tag: x, log: ${JSON.stringify(log)} }, inputs: { in: [slow.out] } }`,
    ]);
    const profileFile = await profile();
    const first = start(slurmArgs(file, profileFile));
    await waitFor(() => stepped('slow'), 60_000, 'the job running');
    first.child.kill('SIGKILL');
    expect((await first.finished).code).toBe('SIGKILL');

    const second = runSync(slurmArgs(file, profileFile));
    expect(second.code).toBe(0);
    expect(second.events).toContainEqual(
      expect.objectContaining({ type: 'node-log', node: 'slow', message: expect.stringMatching(/^adopting Slurm job \d+ \((RUNNING|PENDING)\)/) }),
    );
    // Job names end with the key's first ten digits: this key's jobs, none of an earlier test's.
    const slowJobs = jobs().filter((job) => job.name === `cardigan-slow-${nodeKey('slow').slice(0, 10)}`);
    expect(slowJobs).toHaveLength(1);
    expect(
      readCalls(log)
        .filter((call) => call.node === 'slow' && call.event !== 'end')
        .map((call) => call.event),
    ).toEqual(['start']);
    const run = await record(second.events);
    expect(run.nodes.map((node) => [node.id, node.status])).toEqual([
      ['slow', 'done'],
      ['after', 'done'],
    ]);
  }, 180_000);
});

test('a bad Slurm profile is an error at its line, before anything is submitted', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-slurm-profile-'));
  try {
    await fs.writeFile(path.join(dir, 'e.yaml'), `name: e\nplugins: [${JSON.stringify(plugin)}]\nnodes:\n  a: { type: t-emit, params: { value: a } }\n`);
    await fs.writeFile(path.join(dir, 'slurm.yaml'), 'partition: debug\ntime: 2 hours\n');
    const result = runCli(['run', 'e.yaml', '--executor', 'slurm', '--profile', 'slurm.yaml', '--cache', 'cache'], {}, dir);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'error: slurm.yaml is not a valid Slurm profile (1 error):',
        '',
        'slurm.yaml:2:7 error: "time" must be a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. "4:00:00"), got "2 hours"',
        '  2 | time: 2 hours',
        '    |       ^~~~~~~',
        '',
      ].join('\n'),
    });
    await expect(fs.access(path.join(dir, 'cache', 'jobs'))).rejects.toThrow();
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
