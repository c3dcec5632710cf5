import * as path from 'path';
import { Cache } from '../../engine/cache/cache';
import { readIndex } from '../../engine/cache/last-keys';
import type { RunEvent } from '../../engine/run/events';
import type { PlanRow } from '../../engine/cli/plan-view';
import { cardigan, runCli } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';
import { startedNodes } from '../rig/runtime-nodes';

/**
 * The whole engine from YAML through the CLI: the loader's ResolvedExperiment planned, run and
 * cached, with the runtime test nodes loaded as a plugin the way a user's node types would be.
 */

const RUNTIME_NODES = path.join(__dirname, '..', 'rig', 'runtime-nodes.ts');

interface Variant {
  abTag?: string;
  bValue?: number;
}

/**
 *   a ─┐
 *      ├─ ab ── grid[tag=x|y|z, sleepMs=0|1] ── all
 *   b ─┘
 *   └──── side
 */
function experimentYaml(dir: string, log: string, variant: Variant = {}): string {
  return `name: e2e
seed: 3
plugins: [${path.relative(dir, RUNTIME_NODES)}]
defaults:
  t-emit: { log: ${log} }
  t-join: { log: ${log} }
nodes:
  a: { type: t-emit, params: { value: 1 } }
  b: { type: t-emit, params: { value: ${variant.bValue ?? 2} } }
  ab: { type: t-join, inputs: { in: [a.out, b.out] }, params: { tag: ${variant.abTag ?? 'ab'} } }
  grid: { type: t-join, inputs: { in: ab.out }, matrix: { tag: [x, y, z], sleepMs: [0, 1] } }
  all: { type: t-join, inputs: { in: grid.out }, params: { tag: all } }
  side: { type: t-join, inputs: { in: b.out }, params: { tag: side } }
`;
}

const GRID = [
  'grid[tag=x,sleepMs=0]',
  'grid[tag=x,sleepMs=1]',
  'grid[tag=y,sleepMs=0]',
  'grid[tag=y,sleepMs=1]',
  'grid[tag=z,sleepMs=0]',
  'grid[tag=z,sleepMs=1]',
];
// In the loader's topological order (Kahn's, visiting ready nodes in file order).
const ALL_NODES = ['a', 'b', 'ab', 'side', ...GRID, 'all'];

let tree: ExperimentTree;
let log: string;
let cache: string;
beforeEach(async () => {
  tree = await ExperimentTree.create();
  log = tree.path('calls.jsonl');
  cache = tree.path('cache');
  await tree.write({ 'exp.yaml': experimentYaml(tree.root, log) });
});
afterEach(async () => {
  await tree.remove();
});

/** `cardigan run` on the CPU backend against the tree's cache; returns the nodes it started. */
async function run(file: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string; started: string[] }> {
  const before = startedNodes(log).length;
  const result = await cardigan('run', tree.path(file), '--cache', cache, '--backend', 'cpu', ...args);
  return { ...result, started: startedNodes(log).slice(before) };
}

async function planJson(file: string, ...args: string[]): Promise<PlanRow[]> {
  const result = await cardigan('plan', tree.path(file), '--cache', cache, '--json', ...args);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return (JSON.parse(result.stdout) as { nodes: PlanRow[] }).nodes;
}

function keysOf(rows: PlanRow[]): Record<string, string | null> {
  return Object.fromEntries(rows.map((row) => [row.node, row.key]));
}

test('run twice: the second run computes nothing', async () => {
  const first = await run('exp.yaml');
  expect(first.code).toBe(0);
  expect(first.started.sort()).toEqual([...ALL_NODES].sort());
  const second = await run('exp.yaml');
  expect(second.code).toBe(0);
  expect(second.started).toEqual([]);
  expect(second.stdout).toContain('summary: 11 cached in ');
  expect(second.stdout).toContain('nothing to compute: every selected node came from the cache');
});

test('a param changed in the YAML reruns exactly that node and its descendants; plan --explain names the param', async () => {
  await run('exp.yaml');
  await tree.write({ 'exp.yaml': experimentYaml(tree.root, log, { abTag: 'ab2' }) });
  const plan = await cardigan('plan', tree.path('exp.yaml'), '--cache', cache, '--explain');
  expect(plan.code).toBe(0);
  expect(plan.stdout).toMatch(/^ {2}stale {4}[0-9a-f]{10} {2}ab\n {6}params: tag "ab" → "ab2"$/m);
  expect(plan.stdout.split('\n')[0]).toBe('plan: e2e (11 nodes): 3 cached, 1 stale, 7 blocked');
  const rerun = await run('exp.yaml');
  expect(rerun.code).toBe(0);
  expect(rerun.started.sort()).toEqual(['ab', 'all', ...GRID].sort());
});

test('a 3×2 matrix expands to 6 nodes with stable ids and keys, with nothing machine-specific in them', async () => {
  await run('exp.yaml');
  const rows = await planJson('exp.yaml');
  expect(rows.map((row) => row.node)).toEqual(ALL_NODES);
  expect(rows.every((row) => row.state === 'cached')).toBe(true);
  // Pinned: the same YAML gives these keys on any machine, in any folder.
  expect(Object.fromEntries(GRID.map((id) => [id, keysOf(rows)[id]]))).toEqual({
    'grid[tag=x,sleepMs=0]': '2d1b144ae8157d103eb3119e24458e090740a20217fb2580cf807717a49532c3',
    'grid[tag=x,sleepMs=1]': '8d63bf783d1d64b80e10c354dfbfa355e0e27098148d417624298676940933ce',
    'grid[tag=y,sleepMs=0]': 'd9f993fbeb5940f2afc7032b52fa04ff8252b53887d01a9a211afa22fc49c0f6',
    'grid[tag=y,sleepMs=1]': 'd357a857c79731ff601d86be120d81e96ec0c2277de365582e6b12b6bec7b701',
    'grid[tag=z,sleepMs=0]': 'cc68fd945beab6eb9be5ce17c2bcce14794106056a17eed350d9b471fc388f7c',
    'grid[tag=z,sleepMs=1]': '4aa32405e4ca6dcae537aca676805c17889a5f1b60f7b10ce241913e7d1259cf',
  });
  // The experiment's folder (where the cosmetic log path also points) is in no key's parts...
  const index = await readIndex(new Cache(cache).layout, tree.path('exp.yaml'));
  expect(Object.keys(index.nodes)).toEqual(ALL_NODES);
  expect(JSON.stringify(Object.values(index.nodes).map((node) => node.parts))).not.toContain(tree.root);
  // ...so the same experiment in another folder has the same keys.
  const moved = await ExperimentTree.create();
  try {
    await moved.write({ 'elsewhere/exp.yaml': experimentYaml(moved.path('elsewhere'), moved.path('calls.jsonl')) });
    const there = await cardigan('plan', moved.path('elsewhere/exp.yaml'), '--cache', cache, '--json');
    expect(keysOf((JSON.parse(there.stdout) as { nodes: PlanRow[] }).nodes)).toEqual(keysOf(rows));
  } finally {
    await moved.remove();
  }
});

test('extends plus --set give the keys of the equivalent flat file', async () => {
  await tree.write({
    'variant.yaml': 'extends: exp.yaml\nnodes:\n  ab: { params: { tag: ab3 } }\n',
    'flat.yaml': experimentYaml(tree.root, log, { abTag: 'ab3', bValue: 5 }),
  });
  expect((await run('flat.yaml')).code).toBe(0);
  const flat = keysOf(await planJson('flat.yaml'));
  const variant = await planJson('variant.yaml', '--set', 'b.params.value=5');
  expect(keysOf(variant)).toEqual(flat);
  expect(variant.every((row) => row.state === 'cached')).toBe(true);
  // The override is part of the key: without it, b (and what reads it) is another computation.
  const withoutSet = keysOf(await planJson('variant.yaml'));
  expect(withoutSet.a).toBe(flat.a);
  expect(withoutSet.b).not.toBe(flat.b);
});

test('--json prints one event per line, from run-start to run-end', async () => {
  const parse = (stdout: string): (RunEvent & { time: string })[] =>
    stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent & { time: string });
  const first = parse((await run('exp.yaml', '--json')).stdout);
  expect(first[0]).toMatchObject({ type: 'run-start', experiment: 'e2e', nodes: 11, selected: 11 });
  expect(first[first.length - 1]).toMatchObject({ type: 'run-end', outcome: 'ok', exitCode: 0 });
  expect(
    first
      .filter((event) => event.type === 'node-done')
      .map((event) => (event as { node: string }).node)
      .sort(),
  ).toEqual([...ALL_NODES].sort());
  expect(first.every((event) => !Number.isNaN(Date.parse(event.time)))).toBe(true);
  const second = parse((await run('exp.yaml', '--json')).stdout);
  expect(second.filter((event) => event.type === 'node-cached')).toHaveLength(11);
  expect(second.some((event) => event.type === 'node-start' || event.type === 'backend')).toBe(false);
});

test('exit codes: 0 ok, 1 invalid experiment, 2 usage error', async () => {
  expect((await run('exp.yaml')).code).toBe(0);
  await tree.write({ 'typo.yaml': experimentYaml(tree.root, log).replace('type: t-emit, params: { value: 1 }', 'type: t-emitt, params: { value: 1 }') });
  const invalid = await run('typo.yaml');
  expect(invalid.code).toBe(1);
  expect(invalid.stderr).toContain('typo.yaml:8:14 error: unknown node type "t-emitt" — did you mean "t-emit"?');
  expect((await run('exp.yaml', '--jobs', '0')).code).toBe(2);
  expect((await cardigan('plan', tree.path('exp.yaml'), '--explian')).code).toBe(2);
});

test('a failing node fails its descendants and nothing else; the process exits 1 (child process)', async () => {
  await tree.write({
    'fail.yaml': `plugins: [${path.relative(tree.root, RUNTIME_NODES)}]
nodes:
  a: { type: t-emit, params: { value: 1 } }
  boom: { type: t-fail, inputs: { in: a.out }, params: { message: disk on fire } }
  after: { type: t-join, inputs: { in: boom.out }, params: { tag: after } }
  other: { type: t-join, inputs: { in: a.out }, params: { tag: other } }
`,
  });
  const result = runCli(['run', tree.path('fail.yaml'), '--json', '--backend', 'cpu', '--cache', cache]);
  expect(result.code).toBe(1);
  const events = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
  const summary = events[events.length - 1];
  if (summary.type !== 'run-end') throw new Error(`last event is ${summary.type}`);
  expect(summary.nodes.map(({ node, status, detail }) => ({ node, status, detail }))).toEqual([
    { node: 'a', status: 'done', detail: null },
    { node: 'boom', status: 'failed', detail: 'disk on fire' },
    { node: 'other', status: 'done', detail: null },
    { node: 'after', status: 'blocked', detail: 'needs boom' },
  ]);
});

describe('external data', () => {
  function readYaml(dir: string, calls: string): string {
    return `plugins: [${path.relative(dir, RUNTIME_NODES)}]
defaults:
  t-read: { log: ${calls} }
  t-join: { log: ${calls} }
  t-emit: { log: ${calls} }
nodes:
  data: { type: t-read, params: { folder: data } }
  after: { type: t-join, inputs: { in: data.out }, params: { tag: after } }
  alone: { type: t-emit, params: { value: 1 } }
`;
  }
  const DATA = { 'data/one.txt': 'first', 'data/two.txt': 'second' };

  test('editing the folder a node reads reruns it and its descendants, and plan --explain says why', async () => {
    await tree.write({ ...DATA, 'read.yaml': readYaml(tree.root, log) });
    expect((await run('read.yaml')).started.sort()).toEqual(['after', 'alone', 'data']);
    expect((await run('read.yaml')).started).toEqual([]);
    await tree.write({ 'data/two.txt': 'second, edited' });
    const plan = await cardigan('plan', tree.path('read.yaml'), '--cache', cache, '--explain');
    expect(plan.stdout).toMatch(/^ {2}stale {4}[0-9a-f]{10} {2}data\n {6}external data changed: data$/m);
    expect((await run('read.yaml')).started.sort()).toEqual(['after', 'data']);
  });

  test('the key holds the data fingerprint by its written path: the same experiment and data elsewhere are cached', async () => {
    await tree.write({ ...DATA, 'read.yaml': readYaml(tree.root, log) });
    await run('read.yaml');
    const index = await readIndex(new Cache(cache).layout, tree.path('read.yaml'));
    expect(index.nodes.data.parts.external).toEqual({ data: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(index.nodes.data.parts)).not.toContain(tree.root);
    const moved = await ExperimentTree.create({ ...DATA });
    try {
      await moved.write({ 'read.yaml': readYaml(moved.root, moved.path('calls.jsonl')) });
      const there = await cardigan('plan', moved.path('read.yaml'), '--cache', cache, '--json');
      const rows = (JSON.parse(there.stdout) as { nodes: PlanRow[] }).nodes;
      expect(rows.map((row) => [row.node, row.state])).toEqual([
        ['data', 'cached'],
        ['alone', 'cached'],
        ['after', 'cached'],
      ]);
      // Relative to the experiment file, not the working directory: the moved copy's data, when edited, is what counts.
      await moved.write({ 'data/one.txt': 'changed over there' });
      const changed = await cardigan('plan', moved.path('read.yaml'), '--cache', cache, '--json');
      expect((JSON.parse(changed.stdout) as { nodes: PlanRow[] }).nodes[0].state).toBe('stale');
    } finally {
      await moved.remove();
    }
  });
});
