import { spawn, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { cardiganVersion } from '../../engine/cache/package-info';
import { AttemptFolder, type JobFile } from '../../engine/run/job-folder';
import { waitFor } from '../rig/child-process';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';
import { readCalls } from '../rig/runtime-nodes';
import { WORKER_COMMAND } from '../rig/worker';

/** `cardigan run-node`, the worker: what it refuses, and how `cardigan run` starts it. */

const root = path.resolve(__dirname, '..', '..');

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

function runNode(...args: string[]): { code: number; stderr: string } {
  const [program, ...flags] = WORKER_COMMAND;
  const result = spawnSync(program, [...flags, 'run-node', ...args], { encoding: 'utf8' });
  return { code: result.status ?? -1, stderr: result.stderr };
}

/** A job folder left by a failed attempt, with its job.json as the coordinator wrote it. */
async function failedAttempt(): Promise<{ attempt: AttemptFolder; job: JobFile }> {
  const result = await rig.run(rig.experiment([{ id: 'bad', type: 't-fail', params: { log: rig.log } }]), { executor: rig.pool() });
  const [attempt] = await AttemptFolder.list(rig.cache.layout, result.record.nodes[0].key as string);
  const job = await attempt.readJob();
  if ('error' in job) throw new Error(job.error);
  return { attempt, job };
}

test('run-node computes a job from the cache alone and commits it; run again, it finds the entry already there', async () => {
  const { attempt, job } = await failedAttempt();
  // The same job folder, now for a node that succeeds: everything the worker needs is in job.json.
  job.job.type = 't-emit';
  job.job.params = { value: 'from the cache', log: rig.log };
  await attempt.writeJob(job);
  const first = runNode(job.job.key, '--cache', rig.cache.root, '--attempt', attempt.name, '--backend', 'cpu');
  expect(first).toEqual({ code: 0, stderr: expect.stringContaining(`run-node: bad computed and committed: ${job.job.key}`) });
  expect(await attempt.readResult()).toEqual({ ok: true, status: 'done', resumed: false });
  const entry = await rig.cache.lookup(job.job.key);
  expect(entry.state).toBe('hit');
  if (entry.state === 'hit') expect(entry.record.provenance.executor).toEqual({ name: 'processes' });
  expect(await fs.readFile(path.join(rig.cache.layout.outputDir(job.job.key, 'out'), 'value.txt'), 'utf8')).toBe('from the cache');

  const second = runNode(job.job.key, '--cache', rig.cache.root, '--backend', 'cpu');
  expect(second.code).toBe(0);
  expect(second.stderr).toContain('was committed meanwhile by another process');
  expect(
    readCalls(rig.log)
      .filter((call) => call.event === 'start')
      .map((call) => call.node),
  ).toEqual(['bad', 'bad']);
});

test('run-node refuses a job planned by another cardigan version, with what to do', async () => {
  const { attempt, job } = await failedAttempt();
  await attempt.writeJob({ ...job, cardigan: '0.0.9' });
  const result = runNode(job.job.key, '--cache', rig.cache.root);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe(
    `error: run-node: refusing the job of node "bad" (t-fail): it was planned by cardigan 0.0.9, this is cardigan ${cardiganVersion()}.\n` +
      'Run the worker with the same cardigan as the coordinator (on a cluster: the same checkout on the shared filesystem), or rerun `cardigan run` with this one.\n',
  );
  expect(await attempt.readResult()).toMatchObject({ ok: false, failure: { reason: 'version-mismatch' } });
});

test('run-node refuses a job for another version of its node type', async () => {
  const { attempt, job } = await failedAttempt();
  await attempt.writeJob({ ...job, job: { ...job.job, version: 7 } });
  const result = runNode(job.job.key, '--cache', rig.cache.root);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    'error: run-node: refusing the job of node "bad" (t-fail): it was planned for t-fail version 7, this cardigan has version 1.\n',
  );
  expect(result.stderr).not.toContain('    at ');
});

test('run-node without a job, or with a malformed key, says so', () => {
  const key = 'ab'.repeat(32);
  expect(runNode(key, '--cache', rig.cache.root)).toEqual({
    code: 1,
    stderr:
      `error: run-node: no job for key ${key} in ${rig.cache.layout.jobDir(key)}\n` +
      'The coordinating `cardigan run` writes job.json there before it starts a worker; check --cache points at the same cache.\n',
  });
  expect(runNode('abc', '--cache', rig.cache.root)).toEqual({ code: 2, stderr: 'error: run-node: <key> must be a cache key (64 hex digits), got "abc"\n' });
});

test('cardigan run --executor processes: plugin nodes run in workers; a coordinator killed with -9 takes its workers with it', async () => {
  const plugin = path.join(root, 'test/rig/runtime-nodes.ts');
  const file = path.join(rig.dir, 'pool.yaml');
  await fs.writeFile(
    file,
    [
      'name: pool',
      `plugins: [${JSON.stringify(plugin)}]`,
      'nodes:',
      `  a: { type: t-emit, params: { value: a, log: ${JSON.stringify(rig.log)} } }`,
      `  slow: { type: t-steps, params: { steps: 300, stepMs: 50, log: ${JSON.stringify(rig.log)} }, inputs: {} }`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(root, 'test/rig/ts-register.js'),
      path.join(root, 'nodes/cardigan.ts'),
      'run',
      file,
      '--cache',
      rig.cache.root,
      '--executor',
      'processes',
      '--jobs',
      '2',
      '--backend',
      'cpu',
      '--json',
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(String(code ?? signal))));
  await waitFor(() => readCalls(rig.log).some((call) => call.node === 'slow' && call.event === 'end'), 60_000, 'the slow node stepping');
  await waitFor(() => stdout.includes('"node-done"'), 30_000, 'a done');
  const worker = readCalls(rig.log).find((call) => call.node === 'slow')?.pid as number;
  expect(worker).not.toBe(child.pid);
  expect(stdout).toContain('"executor":"processes"');
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  await waitFor(
    () => {
      try {
        process.kill(worker, 0);
        return false;
      } catch {
        return true;
      }
    },
    10_000,
    'the orphaned worker to stop',
  );
  // It stopped as on SIGTERM: interrupted, its lock released, its checkpoint kept.
  const [attempt] = await AttemptFolder.list(rig.cache.layout, readCalls(rig.log).find((call) => call.node === 'slow')?.key as string);
  expect(await attempt.readResult()).toEqual({ ok: false, failure: { reason: 'interrupted' } });
  expect(await fs.readdir(rig.cache.layout.locksDir)).toEqual([]);
});
