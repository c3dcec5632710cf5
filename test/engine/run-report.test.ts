import { promises as fs } from 'fs';
import * as path from 'path';
import { loadExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { cardigan } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';

/**
 * `report:` in an experiment: `cardigan run` writes the report page after the run, whatever the run's
 * outcome, through the report builder the nodes layer registers (the engine has none of its own).
 */

const RUNTIME_NODES = path.join(__dirname, '..', 'rig', 'runtime-nodes.ts');

let tree: ExperimentTree;
beforeEach(async () => {
  tree = await ExperimentTree.create();
  await tree.write({
    'fail.yaml': `plugins: [${path.relative(tree.root, RUNTIME_NODES)}]
report: ${tree.path('out/fail-report.html')}
nodes:
  a: { type: t-emit, params: { value: 1 } }
  boom: { type: t-fail, inputs: { in: a.out }, params: { message: disk on fire } }
  after: { type: t-join, inputs: { in: boom.out }, params: { tag: after } }
  other: { type: t-join, inputs: { in: a.out }, params: { tag: other } }
`,
    'child.yaml': 'extends: fail.yaml\nname: child\n',
  });
});
afterEach(async () => {
  await tree.remove();
});

test('run writes the report after the run even when a node failed, shows the failure, and prints the path', async () => {
  const cache = tree.path('cache');
  const run = await cardigan('run', tree.path('fail.yaml'), '--backend', 'cpu', '--cache', cache);
  expect(run.code).toBe(1);
  expect(run.stdout).toContain(`report: ${tree.path('out/fail-report.html')} (2 of 4 nodes with results)\n`);
  const page = await fs.readFile(tree.path('out/fail-report.html'), 'utf8');
  expect(page).toContain('disk on fire');
  expect(page).toMatch(/<title>fail — cardigan report<\/title>/);
  // Atomic: nothing but the page is left beside it.
  expect(await fs.readdir(tree.path('out'))).toEqual(['fail-report.html']);

  const json = await cardigan('run', tree.path('fail.yaml'), '--backend', 'cpu', '--cache', cache, '--json');
  const events = json.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string });
  expect(events.slice(-2).map((e) => e.type)).toEqual(['run-end', 'report']);
  expect(events[events.length - 1]).toMatchObject({ file: tree.path('out/fail-report.html'), nodes: 4, withResults: 2 });
});

test('--set report= overrides the file, report=null writes none, and a child inherits it', async () => {
  const cache = tree.path('cache');
  const other = tree.path('other/page.html');
  const set = await cardigan('run', tree.path('fail.yaml'), '--backend', 'cpu', '--cache', cache, '--set', `report=${other}`);
  expect(set.stdout).toContain(`report: ${other} `);
  await expect(fs.stat(tree.path('out/fail-report.html'))).rejects.toThrow(/ENOENT/);

  const none = await cardigan('run', tree.path('fail.yaml'), '--backend', 'cpu', '--cache', cache, '--set', 'report=null');
  expect(none.stdout).not.toContain('report:');
  await expect(fs.stat(tree.path('out/fail-report.html'))).rejects.toThrow(/ENOENT/);

  const registry = new NodeRegistry();
  expect((await loadExperiment(tree.path('child.yaml'), { registry })).report).toBe(tree.path('out/fail-report.html'));
});

test('a report that is not a path is refused where it is written', async () => {
  const bad = await cardigan('validate', tree.path('fail.yaml'), '--set', 'report=[1]');
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('--set:1:8 error: report must be the path of an HTML file (or null for none), got a list');
  await tree.write({ 'empty.yaml': 'report: 3\nnodes: {}\n' });
  const file = await cardigan('validate', tree.path('empty.yaml'));
  expect(file.code).toBe(1);
  expect(file.stderr).toMatch(/empty\.yaml:1:9 error: report must be /);
});
