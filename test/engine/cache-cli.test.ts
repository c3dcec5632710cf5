import { promises as fs } from 'fs';
import * as path from 'path';
import { parseCacheOptions } from '../../engine/cli/commands/cache';
import { parsePlanOptions } from '../../engine/cli/commands/plan';
import { parseRunOptions } from '../../engine/cli/commands/run';
import { UsageError } from '../../engine/errors';
import { runCli } from '../rig/cli';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';

describe('options', () => {
  test('run: every option, repeatable selections, cache and backend from the environment', () => {
    const options = parseRunOptions(
      ['exp.yaml', '--jobs', '3', '--only', 'a', '--only', 'unet', '--force', 'b', '--set', 'a.params.x=1', '--set', 'b.params.y=2', '--json'],
      { CARDIGAN_CACHE: '/tmp/shared-cache', CARDIGAN_BACKEND: 'wasm' },
    );
    expect(options).toEqual({
      experiment: 'exp.yaml',
      set: ['a.params.x=1', 'b.params.y=2'],
      json: true,
      cache: '/tmp/shared-cache',
      jobs: 3,
      executor: 'auto',
      profile: undefined,
      backend: 'wasm',
      selection: { only: ['a', 'unet'], from: [], until: [], force: ['b'] },
    });
    expect(parseRunOptions(['e.yaml', '--backend', 'cpu', '--cache', 'c'], { CARDIGAN_BACKEND: 'wasm' })).toMatchObject({
      backend: 'cpu',
      cache: path.resolve('c'),
    });
    expect(parseRunOptions(['e.yaml'], {})).toMatchObject({ backend: 'auto', cache: path.resolve('cache'), jobs: undefined, executor: 'auto' });
    expect(parseRunOptions(['e.yaml', '--executor', 'inprocess'], { CARDIGAN_EXECUTOR: 'processes' })).toMatchObject({ executor: 'inprocess' });
    expect(parseRunOptions(['e.yaml'], { CARDIGAN_EXECUTOR: 'processes' })).toMatchObject({ executor: 'processes' });
  });

  test.each([
    [['e.yaml', '--job', '2'], 'run: unknown option "--job" — did you mean "--jobs"?\nUsage: cardigan run <experiment.yaml> [options]'],
    [['e.yaml', '--jobs', '0'], 'run: --jobs must be a whole number of at least 1, got "0"'],
    [['e.yaml', '--jobs', 'many'], 'run: --jobs must be a whole number of at least 1, got "many"'],
    [['e.yaml', '--backend', 'gpuu'], 'run: --backend must be one of auto, gpu, webgpu, node, wasm, cpu, got "gpuu" — did you mean "gpu"?'],
    [['e.yaml', '--executor', 'proceses'], 'run: --executor must be one of auto, inprocess, processes, slurm, got "proceses" — did you mean "processes"?'],
    [[], 'run: missing <experiment.yaml> (the experiment file)\nUsage: cardigan run <experiment.yaml> [options]'],
    [['a.yaml', 'b.yaml'], 'run: unexpected argument "b.yaml"\nUsage: cardigan run <experiment.yaml> [options]'],
  ])('run %j is a usage error', (args, message) => {
    expect(() => parseRunOptions(args, {})).toThrow(new UsageError(message));
  });

  test('an environment variable standing in for an option is checked like the option, and named', () => {
    expect(() => parseRunOptions(['e.yaml'], { CARDIGAN_BACKEND: 'gpuu' })).toThrow(
      new UsageError('run: $CARDIGAN_BACKEND must be one of auto, gpu, webgpu, node, wasm, cpu, got "gpuu" — did you mean "gpu"?'),
    );
  });

  test('plan: --explain, --set, --json', () => {
    expect(parsePlanOptions(['e.yaml', '--explain', '--set', 'a.params.b=1'], {})).toMatchObject({
      experiment: 'e.yaml',
      explain: true,
      json: false,
      set: ['a.params.b=1'],
    });
  });

  test('cache: actions and their options', () => {
    expect(parseCacheOptions(['gc', '--keep-last', '3', '--dry-run'], {})).toMatchObject({ action: 'gc', keepLast: 3, olderThanMs: undefined, dryRun: true });
    expect(parseCacheOptions(['gc', '--older-than', '7d'], {})).toMatchObject({ action: 'gc', olderThanMs: 7 * 86_400_000, dryRun: false });
    expect(parseCacheOptions(['ls', '--json'], {})).toMatchObject({ action: 'ls', json: true });
  });

  test.each([
    [['gc'], 'cache gc: say what to keep, with --keep-last N (entries of the N most recent runs) and/or --older-than 7d'],
    [['gc', '--older-than', '7 days'], 'cache: --older-than must be a number and a unit, e.g. 90m, 12h, 7d or 2w, got "7 days"'],
    [['ls', '--dry-run'], 'cache ls: --dry-run belongs to "cache gc"'],
    [['verfy'], 'cache: <action> must be one of ls, verify, gc, got "verfy" — did you mean "verify"?'],
    [[], 'cache: missing <action> (what to do: ls | verify | gc)\nUsage: cardigan cache <action> [options]'],
  ])('cache %j is a usage error', (args, message) => {
    expect(() => parseCacheOptions(args, {})).toThrow(new UsageError(message));
  });
});

describe('cardigan cache (end to end, in a child process)', () => {
  let rig: EngineRig;
  beforeAll(async () => {
    rig = await makeEngineRig();
    await rig.run(
      rig.experiment([
        { id: 'src', type: 't-emit', params: { value: 'x' } },
        { id: 'dst', type: 't-join', params: { tag: 'y' }, inputs: { in: ['src.out'] } },
      ]),
    );
  });
  afterAll(async () => {
    await rig.remove();
  });

  test('ls lists entries with node, type, size and ages', () => {
    const result = runCli(['cache', 'ls'], { CARDIGAN_CACHE: rig.cache.root });
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^key\s+node\s+type\s+size\s+age\s+used$/);
    expect(
      lines
        .slice(1, 3)
        .map((line) => line.split(/\s+/).slice(1, 3))
        .sort(),
    ).toEqual([
      ['dst', 't-join@1'],
      ['src', 't-emit@1'],
    ]);
    expect(lines[3]).toMatch(new RegExp(`^2 entries, \\d+(\\.\\d)? (B|KiB) in ${rig.cache.root}$`));
  });

  test('verify passes on a sound cache and exits 1 naming a damaged entry', async () => {
    expect(runCli(['cache', 'verify', '--cache', rig.cache.root])).toMatchObject({ code: 0, stdout: 'verified 2 entries: all intact\n' });
    const [key] = await rig.cache.keys();
    await fs.appendFile(path.join(rig.cache.layout.outputDir(key, 'out'), 'value.txt'), '!');
    const result = runCli(['cache', 'verify', '--cache', rig.cache.root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`damaged  ${key}  (moved to ${rig.cache.layout.quarantineDir}/${key}.`);
    expect(result.stdout).toContain('    outputs/out/value.txt: altered (size ');
    expect(result.stdout).toContain('verified 2 entries: 1 damaged');
  });

  test('gc --dry-run lists, gc removes', () => {
    const dry = runCli(['cache', 'gc', '--keep-last', '0', '--dry-run', '--cache', rig.cache.root]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would remove 1 entries \(.*\), kept 0$/m);
    const real = runCli(['cache', 'gc', '--keep-last', '0', '--cache', rig.cache.root]);
    expect(real.stdout).toMatch(/^removed 1 entries \(.*\), kept 0$/m);
    expect(runCli(['cache', 'ls', '--json', '--cache', rig.cache.root]).stdout.trim()).toBe('[]');
  });

  test('usage errors exit 2', () => {
    const result = runCli(['cache', 'gc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: cache gc: say what to keep');
  });

  test('help texts of plan, run and cache', () => {
    for (const name of ['plan', 'run', 'cache']) {
      const result = runCli([name, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`\nUsage: cardigan ${name} <`);
    }
  });
});
