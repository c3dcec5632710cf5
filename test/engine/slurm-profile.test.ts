import * as path from 'path';
import { parseProfile, settingsFor } from '../../engine/run/executors/slurm/profile';
import { jobName, sbatchArgs } from '../../engine/run/executors/slurm/sbatch-args';
import { meaningOf } from '../../engine/run/executors/slurm/states';
import { type CommandOutput, SlurmCli } from '../../engine/run/executors/slurm/slurm-cli';
import { SlurmQueue } from '../../engine/run/executors/slurm/queue';
import { AttemptFolder } from '../../engine/run/job-folder';
import { UserError } from '../../engine/errors';
import { runCli } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';

/** The Slurm executor's parts that need no cluster: the profile, sbatch's arguments, states, the batched queue. */

const cwd = '/work/lab';
const file = path.join(cwd, 'slurm.yaml');

function profileError(text: string): string {
  try {
    parseProfile(file, text, cwd);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('the profile was accepted');
}

describe('profile', () => {
  test('settings at the top, per resource class, per node type: the most specific wins; defaults filled in', () => {
    const profile = parseProfile(
      file,
      [
        'partition: cpu',
        'account: lab42',
        'time: "1:00:00"',
        'memory: 8G',
        'extra: ["--constraint=intel"]',
        'resources:',
        '  gpu: { partition: gpu, gpus: 1, cpus: 4 }',
        'types:',
        '  train-spade: { time: 2-00:00:00, memory: 64G }',
        '',
      ].join('\n'),
      cwd,
    );
    expect(profile).toMatchObject({ pollSeconds: 10, retries: 1, lostAfterSeconds: 120, maxJobs: 100, file });
    expect(settingsFor(profile, { type: 'load-camus', resource: 'cpu' })).toEqual({
      partition: 'cpu',
      account: 'lab42',
      time: '1:00:00',
      memory: '8G',
      extra: ['--constraint=intel'],
    });
    expect(settingsFor(profile, { type: 'train-spade', resource: 'gpu' })).toEqual({
      partition: 'gpu',
      account: 'lab42',
      time: '2-00:00:00',
      memory: '64G',
      cpus: 4,
      gpus: 1,
      extra: ['--constraint=intel'],
    });
  });

  test('a misspelt setting is an error at its line and column, with the closest name', () => {
    expect(profileError('partiton: debug\ntime: 10\n')).toBe(
      [
        'slurm.yaml is not a valid Slurm profile (1 error):',
        '',
        'slurm.yaml:1:1 error: unknown setting "partiton" — did you mean "partition"?',
        '  1 | partiton: debug',
        '    | ^~~~~~~~',
        '    = hint: settings: partition, account, qos, time, memory, cpus, gpus, gres, extra, command, pollSeconds, retries, lostAfterSeconds, maxJobs, resources, types',
      ].join('\n'),
    );
  });

  test('bad values are reported all at once, each where it is written, saying what is expected', () => {
    const message = profileError(['time: 4h', 'resources:', '  gpu: { gpus: many }', 'types:', '  train-unet: { memory: lots, cpu: 2 }', ''].join('\n'));
    expect(message).toContain('slurm.yaml is not a valid Slurm profile (4 errors):');
    expect(message).toContain(
      'slurm.yaml:1:7 error: "time" must be a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. "4:00:00"), got "4h"',
    );
    expect(message).toContain('slurm.yaml:3:16 error: "resources.gpu.gpus" must be an integer, got "many"');
    expect(message).toContain(
      'slurm.yaml:5:25 error: "types.train-unet.memory" must be a Slurm memory size: a number with K, M, G or T (e.g. "16G"), got "lots"',
    );
    expect(message).toContain('slurm.yaml:5:31 error: unknown setting "types.train-unet.cpu" — did you mean "cpus"?');
  });

  test('YAML that is not a mapping, and a missing file, say so', async () => {
    expect(profileError('- partition\n')).toContain('slurm.yaml:1:1 error: a Slurm profile is a mapping of settings, e.g. "partition: gpu"');
    const tree = await ExperimentTree.create({ 'e.yaml': 'name: e\nnodes: {}\n' });
    try {
      const result = runCli(['run', 'e.yaml', '--executor', 'slurm', '--profile', 'nosuch.yaml'], {}, tree.path('.'));
      expect(result).toEqual({ code: 1, stdout: '', stderr: 'error: cannot read the Slurm profile nosuch.yaml: no such file\n' });
      const misplaced = runCli(['run', 'e.yaml', '--profile', 'p.yaml'], {}, tree.path('.'));
      expect(misplaced).toMatchObject({ code: 2, stderr: 'error: run: --profile is for --executor slurm (the executor is auto)\n' });
    } finally {
      await tree.remove();
    }
  });
});

describe('sbatch arguments', () => {
  const key = 'c0ffee'.padEnd(64, '0');
  const job = { key, nodeId: 'unet[train=camusx]', type: 'train-unet', resource: 'gpu' as const };
  const attempt = new AttemptFolder(key, 'lmn0pq123-0a1b2c3d', `/shared/cache/jobs/${key}/lmn0pq123-0a1b2c3d`);

  test('a named job, its output in the attempt folder, no requeue, the settings, and run-node against the shared cache', () => {
    const args = sbatchArgs(
      job as never,
      attempt,
      { partition: 'gpu', account: 'lab', qos: 'long', time: '2:00:00', memory: '16G', cpus: 4, gpus: 1, extra: ['--constraint=a100'] },
      { command: ['/shared/cardigan/node_modules/.bin/cardigan'], cacheRoot: '/shared/cache', backend: 'auto' },
    );
    expect(args).toEqual([
      '--parsable',
      `--job-name=cardigan-unet_train_camusx_-c0ffee0000`,
      `--output=/shared/cache/jobs/${key}/lmn0pq123-0a1b2c3d/slurm-%j.out`,
      '--no-requeue',
      `--comment=cardigan key ${key}`,
      '--partition=gpu',
      '--account=lab',
      '--qos=long',
      '--time=2:00:00',
      '--mem=16G',
      '--cpus-per-task=4',
      '--gpus=1',
      '--constraint=a100',
      `--wrap=exec /shared/cardigan/node_modules/.bin/cardigan run-node ${key} --cache /shared/cache --attempt lmn0pq123-0a1b2c3d --executor slurm --backend auto`,
    ]);
    expect(jobName(job)).toBe('cardigan-unet_train_camusx_-c0ffee0000');
  });

  test('gres instead of gpus; no settings at all leaves everything to the cluster; words with spaces are quoted', () => {
    const args = sbatchArgs(
      job as never,
      attempt,
      { gres: 'gpu:a100:2', gpus: 1 },
      { command: ['node', "/home/o'neil/my lab/cardigan.js"], cacheRoot: '/shared/cache', backend: 'wasm' },
    );
    expect(args.filter((arg) => /^--(gres|gpus)/.test(arg))).toEqual(['--gres=gpu:a100:2']);
    expect(args[args.length - 1]).toBe(
      `--wrap=exec node '/home/o'\\''neil/my lab/cardigan.js' run-node ${key} --cache /shared/cache --attempt lmn0pq123-0a1b2c3d --executor slurm --backend wasm`,
    );
    expect(sbatchArgs(job as never, attempt, {}, { command: ['cardigan'], cacheRoot: '/c', backend: 'auto' })).toHaveLength(6);
  });
});

test('states: PENDING/RUNNING wait, COMPLETED lets the result decide, failures and machine failures are told apart', () => {
  expect(['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING'].map(meaningOf)).toEqual(['active', 'active', 'active', 'active']);
  expect(meaningOf('COMPLETED')).toBe('completed');
  expect(['FAILED', 'TIMEOUT', 'OUT_OF_MEMORY', 'CANCELLED', 'CANCELLED by 1000'].map(meaningOf)).toEqual(['failed', 'failed', 'failed', 'failed', 'failed']);
  expect(['NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL'].map(meaningOf)).toEqual(['retry', 'retry', 'retry']);
  expect(meaningOf('SOMETHING_NEW')).toBe('active');
});

describe('the Slurm commands', () => {
  function fake(answers: CommandOutput[]): { cli: SlurmCli; calls: string[][] } {
    const calls: string[][] = [];
    const cli = new SlurmCli(async (program, args) => {
      calls.push([program, ...args]);
      return answers.shift() ?? { code: 0, stdout: '', stderr: '' };
    }, 'alice');
    return { cli, calls };
  }

  test('sbatch: the job id; a refusal in Slurm’s words; an unreachable controller is transient', async () => {
    const { cli } = fake([
      { code: 0, stdout: '4242\n', stderr: '' },
      { code: 0, stdout: '4243;cluster2\n', stderr: '' },
      {
        code: 1,
        stdout: '',
        stderr: 'sbatch: error: invalid partition specified: nosuch\nsbatch: error: Batch job submission failed: Invalid partition name specified\n',
      },
      { code: 1, stdout: '', stderr: 'sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n' },
    ]);
    expect(await cli.submit([])).toEqual({ ok: true, jobId: '4242' });
    expect(await cli.submit([])).toEqual({ ok: true, jobId: '4243' });
    expect(await cli.submit([])).toEqual({
      ok: false,
      transient: false,
      message: 'invalid partition specified: nosuch; Batch job submission failed: Invalid partition name specified',
    });
    expect(await cli.submit([])).toMatchObject({ ok: false, transient: true });
  });

  test('one squeue call per poll for all watched jobs; an unreachable controller backs off and keeps the last sighting', async () => {
    const { cli, calls } = fake([
      { code: 0, stdout: '11|RUNNING|None\n12|PENDING|Priority\n99|RUNNING|None\n', stderr: '' },
      { code: 1, stdout: '', stderr: 'squeue: error: Unable to contact slurm controller (connect failure)' },
      { code: 1, stdout: '', stderr: 'squeue: error: Unable to contact slurm controller (connect failure)' },
      { code: 0, stdout: '11|COMPLETED|None\n', stderr: '' },
    ]);
    const events: string[] = [];
    const queue = new SlurmQueue(
      cli,
      20,
      (message) => events.push(`unreachable: ${message}`),
      () => events.push('reachable'),
    );
    const stop = [queue.watch('11'), queue.watch('12')];
    const seen = async (id: string, state: string): Promise<void> => {
      for (let i = 0; i < 200; i++) {
        const sighting = queue.latest(id);
        if ((sighting?.seen === 'listed' ? sighting.job.state : sighting?.seen) === state) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`${id} never ${state}`);
    };
    await seen('12', 'PENDING');
    expect(queue.latest('12')).toMatchObject({ job: { reason: 'Priority' } });
    await seen('11', 'COMPLETED');
    await seen('12', 'gone');
    stop.forEach((unwatch) => unwatch());
    expect(calls.slice(0, 4)).toEqual(Array(4).fill(['squeue', '-h', '-t', 'all', '-u', 'alice', '-o', '%i|%T|%r']));
    expect(events).toEqual(['unreachable: Unable to contact slurm controller (connect failure)', 'reachable']);
  });
});
