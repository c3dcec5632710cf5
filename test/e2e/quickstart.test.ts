import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunEvent } from '../../engine/run/events';
import { runCli } from '../rig/cli';
import { QUICKSTART, TINY, VALIDATION_WARNING } from '../rig/quickstart-tiny';

/**
 * The README's main command, end to end: experiments/quickstart.yaml through the real CLI in a child
 * process, shrunk only with --set so that every node type of the paper's graph runs in well under a
 * minute. Then the cache's promise: an identical rerun computes nothing, and one changed param of one
 * matrix member recomputes that node and its evaluate, nothing else; the report follows every run.
 */

const NODE_TYPES = [
  'load-camus',
  'train-mask-vae',
  'sample-masks',
  'filter-degenerate-masks',
  'align-mask-distribution',
  'train-spade',
  'generate',
  'merge-datasets',
  'train-unet',
  'train-enet',
  'evaluate',
  'umap',
];

let dir: string;
let report: string;

/** `cardigan run experiments/quickstart.yaml --json` from `dir`, so that the file's `report:` lands there. */
function run(...extra: string[]): { events: RunEvent[]; end: Extract<RunEvent, { type: 'run-end' }>; stderr: string } {
  return runIn(path.join(dir, 'cache'), ...extra);
}

function runIn(cache: string, ...extra: string[]): { events: RunEvent[]; end: Extract<RunEvent, { type: 'run-end' }>; stderr: string } {
  const result = runCli(['run', QUICKSTART, '--json', '--backend', 'wasm', '--cache', cache, ...TINY, ...extra], {}, dir);
  expect(result.stderr).toBe(VALIDATION_WARNING);
  expect(result.code).toBe(0);
  const events = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
  const end = events.find((e): e is Extract<RunEvent, { type: 'run-end' }> => e.type === 'run-end');
  if (end === undefined) throw new Error(`no run-end event in:\n${result.stdout}`);
  return { events, end, stderr: result.stderr };
}

const started = (events: RunEvent[]): string[] => events.flatMap((e) => (e.type === 'node-start' ? [e.node] : [])).sort();
const ofType = <T extends RunEvent['type']>(events: RunEvent[], type: T): Extract<RunEvent, { type: T }>[] =>
  events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-quickstart-'));
  report = path.join(dir, 'quickstart-report.html');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let firstRun: RunEvent[];

test('the first run computes every node of every node type in the paper graph, and writes the report', async () => {
  const { events, end } = run('--jobs', '2');
  firstRun = events;
  expect(end.outcome).toBe('ok');
  // With more than one job, the default: every node in a `cardigan run-node` worker process.
  expect(ofType(events, 'run-start')[0].executor).toBe('processes');
  expect(end.nodes).toHaveLength(16);
  expect(end.nodes.filter((n) => n.status !== 'done')).toEqual([]);
  expect(started(events)).toEqual(end.nodes.map((n) => n.node).sort());
  // Every node type of the graph ran (the record names each node's type).
  const record = JSON.parse(await fs.readFile(end.record, 'utf8')) as { nodes: { type: string; status: string }[] };
  expect([...new Set(record.nodes.map((n) => n.type))].sort()).toEqual([...NODE_TYPES].sort());
  // The anatomical filter kept some of the VAE's masks, so CAMUSx is a real dataset.
  expect(ofType(events, 'node-log').some((e) => e.node === 'kept' && /kept [1-9]\d* of 30 masks/.test(e.message))).toBe(true);

  expect(ofType(events, 'report')).toEqual([expect.objectContaining({ file: report, nodes: 16, withResults: 16 })]);
  const page = await fs.readFile(report, 'utf8');
  expect(page).toContain('<title>quickstart — cardigan report</title>');
  expect(page).toContain('id="table1"');
  // Table 1 per view as well as per phase, with the LA; the clinical indices with their two plots per model.
  const table1 = page.slice(page.indexOf('id="table1"'), page.indexOf('id="clinical"'));
  expect(table1).toContain('<td>2CH</td>');
  expect(table1).toContain('<th>la</th>');
  const clinical = page.slice(page.indexOf('id="clinical"'), page.indexOf('id="graph"'));
  expect(clinical).toContain('Limits of agreement');
  for (const model of ['unet[train=camus]', 'enet[train=camus]']) expect(clinical).toContain(`alt="Bland–Altman plots of EDV, ESV and EF for ${model}"`);
}, 300_000);

test('an identical rerun computes nothing and starts no backend', () => {
  const { events, end } = run();
  expect(started(events)).toEqual([]);
  expect(ofType(events, 'backend')).toEqual([]);
  expect(end.nodes.every((n) => n.status === 'cached')).toBe(true);
  expect(ofType(events, 'report')).toHaveLength(1);
}, 120_000);

test('one changed param of one U-Net recomputes that U-Net and Table 1 only, and the report shows the new result', async () => {
  const before = await fs.readFile(report, 'utf8');
  const oldKey = ofType(firstRun, 'node-done').find((e) => e.node === 'unet[train=camus]')?.key;
  const { events, end } = run('--set', 'unet[train=camus].params.lr=0.002');
  expect(started(events)).toEqual(['table1', 'unet[train=camus]']);
  expect(end.nodes.filter((n) => n.status === 'cached')).toHaveLength(14);
  const newKey = ofType(events, 'node-done').find((e) => e.node === 'unet[train=camus]')?.key;
  expect(newKey).toMatch(/^[0-9a-f]{64}$/);
  expect(newKey).not.toBe(oldKey);

  const after = await fs.readFile(report, 'utf8');
  expect(after).not.toBe(before);
  expect(after).toContain(newKey);
  expect(after).not.toContain(oldKey);
  expect(before).toContain(oldKey);
}, 180_000);

test('two seeds per model: cardigan check says results are missing (2), then decides every inherited claim (inconclusive: they need 3 seeds)', async () => {
  // The same graph with every U-Net and ENet over 2 seeds; everything upstream is the first run's (same keys).
  const seeds = path.join(dir, 'seeds.yaml');
  await fs.writeFile(
    seeds,
    `extends: ${JSON.stringify(QUICKSTART)}\nname: quickstart-seeds\nreport: null\nnodes:\n  unet: { matrix: { seed: [1, 2] } }\n  enet: { matrix: { seed: [1, 2] } }\n`,
  );
  const cache = ['--cache', path.join(dir, 'cache')];
  const before = runCli(['check', seeds, ...cache, ...TINY], {}, dir);
  expect(before.stdout).toMatch(/\nverdict: results missing for 6 of 6 claims; 13 nodes to run first: unet\[train=camus,seed=1\], .*, table1\n$/);
  expect(before.code).toBe(2);

  const result = runCli(['run', seeds, '--json', '--backend', 'wasm', ...cache, ...TINY], {}, dir);
  expect(result.code).toBe(0);
  const events = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
  expect(started(events)).toHaveLength(13);

  const check = runCli(['check', seeds, ...cache, ...TINY], {}, dir);
  const verdicts = check.stdout.split('\n').filter((line) => /^\S/.test(line));
  expect(verdicts).toEqual([
    'inconclusive  camuspp-unet: unet[train=camuspp] < unet[train=camus] on dice_endo, from Table 1 (Dice endo 0.919 vs 0.937)',
    'inconclusive  camuspp-unet-hd: unet[train=camuspp] > unet[train=camus] on hd_endo, from Table 1 (HD endo 6.1 vs 5.0 mm)',
    'inconclusive  camuspp-enet: enet[train=camuspp] < enet[train=camus] on dice_endo, from Table 1 (Dice endo 0.932 vs 0.939)',
    'inconclusive  camusx-unet: unet[train=camusx] < unet[train=camus] on dice_endo, from Table 1 (Dice endo 0.919 vs 0.937)',
    'inconclusive  camusx-enet: enet[train=camusx] < enet[train=camus] on dice_endo, from Table 1 (Dice endo 0.732 vs 0.939)',
    'inconclusive  camusx-enet-most: enet[train=camusx] < unet[train=camusx] on dice_endo, from Table 1 (Dice endo 0.732 vs 0.919)',
    'verdict: 0 of 6 claims supported, 0 contradicted, 6 inconclusive',
  ]);
  // Each with the numbers it was decided from, and why it is not decided: too few seeds, or (a model
  // this small may predict no structure at all) no distance to compare.
  expect(check.stdout.match(/\n {14}[^\n]+ vs [^\n]+; (Wilcoxon signed-rank over \d+ test images: p = \S+, n = \d+|no paired test)\n/g)).toHaveLength(6);
  expect(check.stdout.match(/\n {14}(not enough seeds: [0-2] seeds?, the claim needs 3|a row has no value of hd_endo)\n/g)).toHaveLength(6);
  expect(check.stdout).toContain('not enough seeds: 2 seeds, the claim needs 3');
  expect(check.code).toBe(1);
}, 300_000);

test('in-process (--executor inprocess, a fresh cache) gives every node the same key and outputs as the worker processes did', () => {
  const { events, end } = runIn(path.join(dir, 'cache-inprocess'), '--executor', 'inprocess');
  expect(ofType(events, 'run-start')[0].executor).toBe('inprocess');
  expect(end.nodes.every((n) => n.status === 'done')).toBe(true);
  const results = (list: RunEvent[]): Record<string, { key: string; outputs: Record<string, string> }> =>
    Object.fromEntries(ofType(list, 'node-done').map((e) => [e.node, { key: e.key, outputs: e.outputs }]));
  expect(Object.keys(results(events))).toHaveLength(16);
  expect(results(events)).toEqual(results(firstRun));
}, 300_000);
