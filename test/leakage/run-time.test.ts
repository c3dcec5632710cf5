import { promises as fs } from 'fs';
import * as path from 'path';
import { Cache } from '../../engine/cache/cache';
import { readIndex } from '../../engine/cache/last-keys';
import type { RunEvent } from '../../engine/run/events';
import { writeNpy } from '../../nodes/data/npy';
import { cardigan } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';

/**
 * Patient leakage that only the patients themselves show, caught at run time: graphs that leak on
 * purpose through two loaders of one synthetic cohort, or a folder of masks of known patients, which
 * the graph check before running cannot see (it names parts by loader). The trainer and evaluator are
 * test node types (test/rig/lineage-nodes.ts) that learn nothing; the loaders and the merge are the
 * built-in ones, so the lineage they record is the real one. One cache for the file: the loaders run once.
 */

const PLUGIN = path.join(__dirname, '..', 'rig', 'lineage-nodes.ts');

/** The same 10-patient cohort, its official split (the cohort's own lists, so the same for both), 4CH views in one, 2CH in the other. */
const LOADERS = `  camus: { type: load-camus, params: { source: { synthetic: { patients: 10 } }, size: 32, split: official, views: [4CH] } }
  camus2: { type: load-camus, params: { source: { synthetic: { patients: 10 } }, size: 32, split: official, views: [2CH] } }
`;

let tree: ExperimentTree;
beforeAll(async () => {
  tree = await ExperimentTree.create();
});
afterAll(async () => {
  await tree.remove();
});

async function experiment(name: string, body: string, top = ''): Promise<string> {
  await tree.write({ [name]: `${top}plugins: [${path.relative(tree.root, PLUGIN)}]\nnodes:\n${LOADERS}${body}` });
  return tree.path(name);
}

interface Ran {
  code: number;
  validateStderr: string;
  failed: Record<string, string>;
  warnings: Record<string, string[]>;
  ran: string[];
}

/** Validates (the graph check must see nothing), then runs with JSON events. */
async function run(file: string): Promise<Ran> {
  const validate = await cardigan('validate', file);
  const result = await cardigan('run', file, '--cache', tree.path('cache'), '--backend', 'cpu', '--json');
  const events = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunEvent);
  const failed: Record<string, string> = {};
  const warnings: Record<string, string[]> = {};
  const ran: string[] = [];
  for (const event of events) {
    if (event.type === 'node-failed') failed[event.node] = event.error;
    if (event.type === 'node-warning') warnings[event.node] = [...(warnings[event.node] ?? []), event.message];
    if (event.type === 'node-done') ran.push(event.node);
  }
  return { code: result.code, validateStderr: validate.stderr, failed, warnings, ran };
}

describe('test patients in what a model learnt from', () => {
  it('a second loader of the same cohort brings them in: evaluate fails before it runs, naming the patients and the path', async () => {
    const file = await experiment(
      'two-loaders.yaml',
      `  mix: { type: merge-datasets, inputs: { datasets: [camus.train, camus2.test] } }
  fit: { type: t-fit, inputs: { train: mix.dataset, val: camus.val } }
  table1: { type: evaluate, inputs: { models: [fit.model], test: camus.test } }
`,
    );
    const result = await run(file);
    expect(result.validateStderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.ran).toEqual(expect.arrayContaining(['camus', 'camus2', 'mix', 'fit']));
    expect(result.ran).not.toContain('table1');
    expect(Object.keys(result.failed)).toEqual(['table1']);
    expect(result.failed.table1).toMatch(
      /^table1: patient leak: 1 patient of synthetic:1 \(patient\d{4}\) that table1 evaluates on \(camus\.test\) is in the training data of fit\.model \(loaded there as test patients\): camus2\.test → mix\.dataset → fit\.model → table1 \(models\); fix: keep these patients out of every input upstream of the models table1 scores/,
    );
    // The patient named is camus's test patient, the one camus2 also put in its test split.
    const named = /\((patient\d{4})\)/.exec(result.failed.table1)?.[1];
    expect((await cachedManifest('two-loaders.yaml', 'camus', 'test')).items.map((item) => item.patient)).toContain(named);
  });

  it('the same graph on the training patients of both loaders runs through', async () => {
    const file = await experiment(
      'no-leak.yaml',
      `  mix: { type: merge-datasets, inputs: { datasets: [camus.train, camus2.train] } }
  fit: { type: t-fit, inputs: { train: mix.dataset, val: camus.val } }
  score: { type: t-score, inputs: { models: [fit.model], test: camus.test } }
`,
    );
    const result = await run(file);
    expect(result).toMatchObject({ code: 0, failed: {}, warnings: {} });
    expect(result.ran).toContain('score');
  });

  it("a folder of masks named after the cohort's patients brings them in too, once load-masks is told whose they are", async () => {
    const masks = tree.path('masks');
    await fs.mkdir(masks, { recursive: true });
    const mask = new Uint8Array(32 * 32).fill(1, 300, 500);
    for (let n = 1; n <= 10; n++) await writeNpy(path.join(masks, `patient${String(n).padStart(4, '0')}_4CH_ED.npy`), mask, [32, 32]);
    const graph = (cohort: string) => `  masks: { type: load-masks, params: { folder: masks, cohort: ${cohort} } }
  fit: { type: t-fit, inputs: { train: masks.masks } }
  score: { type: t-score, inputs: { models: [fit.model], test: camus.test } }
`;
    const leaking = await run(await experiment('masks.yaml', graph('"synthetic:1"')));
    expect(leaking.validateStderr).toBe('');
    expect(leaking.code).toBe(1);
    const [patient] = (await cachedManifest('masks.yaml', 'camus', 'test')).items.map((item) => item.patient);
    expect(leaking.failed.score).toContain(
      `score: patient leak: 1 patient of synthetic:1 (${patient}) that score evaluates on (camus.test) is in the training data of fit.model: masks.masks → fit.model → score (models); fix:`,
    );
    // By default CAMUS-named masks are real CAMUS patients', whom a synthetic cohort's are not.
    const real = await run(await experiment('masks-camus.yaml', graph('null')));
    expect(real).toMatchObject({ code: 0, failed: {} });
  });
});

describe('validation patients behind the training data of the model they select', () => {
  const graph = `  mix: { type: merge-datasets, inputs: { datasets: [camus.train, camus2.val] } }
  fit: { type: t-fit, inputs: { train: mix.dataset, val: camus.val } }
`;

  it('are a warning by default, and the model is trained', async () => {
    const result = await run(await experiment('val.yaml', graph));
    expect(result.validateStderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.ran).toContain('fit');
    expect(result.warnings.fit).toHaveLength(1);
    expect(result.warnings.fit[0]).toMatch(
      /^fit: 1 patient of synthetic:1 \(patient\d{4}\) that pick its epoch \(camus\.val\) is also behind its training data: camus2\.val → mix\.dataset → fit \(train\); the model is then chosen on patients it has seen/,
    );
  });

  it("are an error or nothing, as the experiment's leakage: says", async () => {
    const refused = await run(await experiment('val-error.yaml', graph.replace('fit:', 'fit2:'), 'leakage: { validation: error }\n'));
    expect(refused.code).toBe(1);
    expect(refused.failed.fit2).toMatch(/^fit2: 1 patient of synthetic:1 \(patient\d{4}\) that pick its epoch \(camus\.val\) is also behind/);
    expect(refused.ran).not.toContain('fit2');
    const allowed = await run(await experiment('val-allow.yaml', graph.replace('fit:', 'fit3:'), 'leakage: { validation: allow }\n'));
    expect(allowed).toMatchObject({ code: 0, failed: {}, warnings: {} });
  });
});

/** A cached output's manifest, found through the cache index of the last run's keys. */
async function cachedManifest(file: string, node: string, port: string): Promise<{ items: { patient: string }[] }> {
  const cache = new Cache(tree.path('cache'));
  const index = await readIndex(cache.layout, tree.path(file));
  const key = index.nodes[node]?.key;
  if (key === undefined) throw new Error(`${node} is not in the index`);
  return JSON.parse(await fs.readFile(path.join(cache.layout.outputDir(key, port), 'manifest.json'), 'utf8')) as { items: { patient: string }[] };
}
