import { promises as fs } from 'fs';
import * as path from 'path';
import { Cache } from '../../engine/cache/cache';
import { readIndex } from '../../engine/cache/last-keys';
import type { RunEvent } from '../../engine/run/events';
import { loadExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { registerBuiltinNodes } from '../../nodes/types';
import { readDataset } from '../../nodes/data/dataset-artifact';
import { cardigan } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';

/**
 * `source: { env: CAMUS_ROOT, otherwise: ... }`: real CAMUS where the variable names a release, the
 * `otherwise` source where it is unset. The release's content joins the key under `$CAMUS_ROOT`,
 * never its location; `plan --explain` says which source is used; a variable pointing at nothing
 * useful stops plan and run before anything runs.
 */

const EXPERIMENT = `nodes:
  camus:
    type: load-camus
    params: { source: { env: CAMUS_ROOT, otherwise: { synthetic: { patients: 2, seed: 5 } } }, size: 32 }
`;

let tree: ExperimentTree;
let cache: string;
const saved = process.env.CAMUS_ROOT;
beforeEach(async () => {
  tree = await ExperimentTree.create({ 'exp.yaml': EXPERIMENT });
  cache = tree.path('cache');
});
afterEach(async () => {
  if (saved === undefined) delete process.env.CAMUS_ROOT;
  else process.env.CAMUS_ROOT = saved;
  await tree.remove();
});

function withCamusRoot(value: string | undefined): void {
  if (value === undefined) delete process.env.CAMUS_ROOT;
  else process.env.CAMUS_ROOT = value;
}

/** Runs the experiment and returns how many patients load-camus read, over its three splits. */
async function runPatients(): Promise<number> {
  const run = await cardigan('run', tree.path('exp.yaml'), '--backend', 'cpu', '--cache', cache, '--json');
  expect(run.code).toBe(0);
  const events = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
  const done = events.find((e) => e.type === 'node-done' || e.type === 'node-cached');
  if (done === undefined || !('key' in done) || done.key === null) throw new Error(`camus did not run: ${run.stdout}`);
  const layout = new Cache(cache).layout;
  const patients = new Set<string>();
  for (const port of ['train', 'val', 'test'])
    for (const item of (await readDataset(layout.outputDir(done.key, port))).manifest.items) patients.add(item.patient);
  return patients.size;
}

async function explain(): Promise<string> {
  const plan = await cardigan('plan', tree.path('exp.yaml'), '--cache', cache, '--explain');
  expect(plan.stderr).toBe('');
  return plan.stdout;
}

test('with CAMUS_ROOT set, the release it names is read and keyed by content, not by location', async () => {
  const release = tree.path('downloads/CAMUS');
  expect((await cardigan('synth-camus', '--out', release, '--patients', '3', '--format', 'nifti', '--seed', '2')).code).toBe(0);
  withCamusRoot(release);
  expect(await explain()).toContain(`      source: real CAMUS from $CAMUS_ROOT = ${release}\n`);
  expect(await runPatients()).toBe(3);

  const { parts } = (await readIndex(new Cache(cache).layout, tree.path('exp.yaml'))).nodes.camus;
  expect(Object.keys(parts.external ?? {})).toEqual(['$CAMUS_ROOT']);
  expect(JSON.stringify(parts)).not.toContain(tree.root);

  // The same release elsewhere, named by a relative path: the same key, so nothing reruns.
  await fs.rename(release, tree.path('moved'));
  withCamusRoot(path.relative(process.cwd(), tree.path('moved')));
  expect(await explain()).toMatch(/^ {2}cached {3}[0-9a-f]{10} {2}camus$/m);
  // An edit to the release is seen, and named by the variable.
  await fs.appendFile(tree.path('moved/database_nifti/patient0001/Info_2CH.cfg'), 'Comment: edited\n');
  expect(await explain()).toContain('      external data changed: $CAMUS_ROOT\n');
});

test('with CAMUS_ROOT unset, the otherwise source is used, and plan --explain says so', async () => {
  withCamusRoot(undefined);
  expect(await explain()).toContain('      source: synthetic cohort of 2 patients (seed 5, nifti) (CAMUS_ROOT is not set)\n');
  expect(await runPatients()).toBe(2);
  expect((await readIndex(new Cache(cache).layout, tree.path('exp.yaml'))).nodes.camus.parts.external).toBeUndefined();
});

test('a CAMUS_ROOT that names nothing usable stops plan and run with the variable and the path', async () => {
  for (const [value, complaint] of [
    [tree.path('nowhere'), 'which does not exist'],
    [tree.path('exp.yaml'), 'which is not a folder'],
    [tree.root, 'which holds no CAMUS release (no training/, testing/, database_nifti/ folder in it)'],
  ]) {
    withCamusRoot(value);
    for (const command of ['plan', 'run']) {
      const result = await cardigan(command, tree.path('exp.yaml'), '--cache', cache, ...(command === 'run' ? ['--backend', 'cpu'] : []));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `error: node "camus" (load-camus): CAMUS_ROOT is set to ${value}, ${complaint}: point CAMUS_ROOT at the folder holding training/ (original release) or database_nifti/ (2023 release), or unset it to use the synthetic cohort\n`,
      );
    }
  }
  await expect(fs.stat(tree.path('cache/entries'))).rejects.toThrow(/ENOENT/);
});

test('paper.yaml reads CAMUS_ROOT when set, and both experiments name their report', async () => {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  const experiments = path.join(__dirname, '..', '..', 'experiments');
  const paper = await loadExperiment(path.join(experiments, 'paper.yaml'), { registry });
  expect(paper.nodes.find((n) => n.id === 'camus')?.params.source).toEqual({
    env: 'CAMUS_ROOT',
    otherwise: { synthetic: { patients: 500, seed: 1, format: 'nifti' } },
  });
  expect(paper.report).toBe('paper-report.html');
  expect((await loadExperiment(path.join(experiments, 'quickstart.yaml'), { registry })).report).toBe('quickstart-report.html');
});
