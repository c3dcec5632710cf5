import { promises as fs } from 'fs';
import * as path from 'path';
import { cardigan } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';

/**
 * `cardigan check` end to end on crafted results: test "models" whose per-image Dice is chosen per
 * training set (test/rig/claim-nodes.ts), three seeds each, scored by a node that writes evaluate's
 * summary.json and per-image.csv. Every verdict kind and every exit code, word for word.
 */

const PLUGIN = path.resolve(__dirname, '../rig/claim-nodes.ts');

function experiment(claims: string): string {
  return `plugins: [${JSON.stringify(PLUGIN)}]
nodes:
  unet:
    type: t-scored
    matrix: { level: [0.9, 0.85, 0.8995], seed: [1, 2, 3] }
  table1: { type: t-summary, inputs: { models: unet } }
claims:
${claims}`;
}

const SUPPORTED = `  - { id: lower, a: "unet[level=0.85]", relation: "<", b: "unet[level=0.9]", metric: dice_endo, from: Table 1 }
  - { id: same, a: "unet[level=0.8995]", relation: "≈", b: "unet[level=0.9]", margin: 0.01, metric: dice_endo, from: Table 1 }
`;
const MIXED = `${SUPPORTED}  - { id: higher, a: "unet[level=0.85]", relation: ">", b: "unet[level=0.9]", metric: dice_endo, from: Table 1 }
  - { id: tiny, a: "unet[level=0.8995]", relation: "<", b: "unet[level=0.9]", metric: dice_endo, from: Table 1 }
  - { id: seeds, a: "unet[level=0.85]", relation: "<", b: "unet[level=0.9]", metric: dice_endo, minSeeds: 5, from: Table 1 }
`;

describe('cardigan check', () => {
  let tree: ExperimentTree;
  beforeAll(async () => {
    tree = await ExperimentTree.create({
      'good.yaml': experiment(SUPPORTED),
      'mixed.yaml': experiment(MIXED),
      'none.yaml': 'nodes:\n  a: { type: t-scored }\nplugins: [' + JSON.stringify(PLUGIN) + ']\n',
    });
  });
  afterAll(() => tree.remove());

  it('exits 2 and names the nodes to run while results are missing', async () => {
    const result = await cardigan('check', tree.path('good.yaml'), '--cache', tree.path('cache'));
    expect(result.stdout).toBe(`missing       lower: unet[level=0.85] < unet[level=0.9] on dice_endo, from Table 1
              no results: table1 is not in the cache under its current key
missing       same: unet[level=0.8995] ≈ unet[level=0.9] ± 0.01 on dice_endo, from Table 1
              no results: table1 is not in the cache under its current key

verdict: results missing for 2 of 2 claims; 10 nodes to run first: unet[level=0.9,seed=1], unet[level=0.9,seed=2], unet[level=0.9,seed=3], unet[level=0.85,seed=1], unet[level=0.85,seed=2], unet[level=0.85,seed=3], unet[level=0.8995,seed=1], unet[level=0.8995,seed=2], unet[level=0.8995,seed=3], table1
`);
    expect(result.code).toBe(2);
  });

  it('exits 0 when every claim is supported, 1 when one is contradicted or inconclusive', async () => {
    const run = await cardigan('run', tree.path('good.yaml'), '--cache', tree.path('cache'), '--backend', 'cpu');
    expect(run.code).toBe(0);
    const good = await cardigan('check', tree.path('good.yaml'), '--cache', tree.path('cache'));
    expect(good.stderr).toBe('');
    expect(good.stdout).toBe(`supported     lower: unet[level=0.85] < unet[level=0.9] on dice_endo, from Table 1
              0.850 ± 0.000 (3 seeds) vs 0.900 ± 0.000 (3 seeds); Wilcoxon signed-rank over 16 test images: p = 3.1e-5, n = 16
supported     same: unet[level=0.8995] ≈ unet[level=0.9] ± 0.01 on dice_endo, from Table 1
              0.899 ± 0.001 (3 seeds) vs 0.900 ± 0.000 (3 seeds); Wilcoxon signed-rank over 16 test images: p = 0.940, n = 16

verdict: all 2 claims supported
`);
    expect(good.code).toBe(0);
    // Same nodes, same keys: the mixed file's results are all cached already.
    const mixed = await cardigan('check', tree.path('mixed.yaml'), '--cache', tree.path('cache'));
    expect(mixed.stdout).toBe(`${good.stdout.split('\n\nverdict')[0]}
contradicted  higher: unet[level=0.85] > unet[level=0.9] on dice_endo, from Table 1
              0.850 ± 0.000 (3 seeds) vs 0.900 ± 0.000 (3 seeds); Wilcoxon signed-rank over 16 test images: p = 3.1e-5, n = 16
inconclusive  tiny: unet[level=0.8995] < unet[level=0.9] on dice_endo, from Table 1
              0.899 ± 0.001 (3 seeds) vs 0.900 ± 0.000 (3 seeds); Wilcoxon signed-rank over 16 test images: p = 0.940, n = 16
              the difference is not significant at α = 0.05
inconclusive  seeds: unet[level=0.85] < unet[level=0.9] on dice_endo, from Table 1
              0.850 ± 0.000 (3 seeds) vs 0.900 ± 0.000 (3 seeds); Wilcoxon signed-rank over 16 test images: p = 3.1e-5, n = 16
              not enough seeds: 3 seeds, the claim needs 5

verdict: 2 of 5 claims supported, 1 contradicted, 2 inconclusive
`);
    expect(mixed.code).toBe(1);
  });

  it('puts the same verdicts at the top of the report', async () => {
    const out = tree.path('mixed.html');
    const report = await cardigan('report', tree.path('mixed.yaml'), '--cache', tree.path('cache'), '--out', out);
    expect(report.code).toBe(0);
    const page = await fs.readFile(out, 'utf8');
    const main = page.slice(page.indexOf('<main>'));
    // First in the page, before the summary.
    expect(main.indexOf('<section id="claims">')).toBe('<main>'.length);
    expect(main).toContain('<p class="lead">2 of 5 claims supported, 1 contradicted, 2 inconclusive.');
    expect(main).toContain(
      '<tr><td><span class="badge failed">contradicted</span></td><td><strong>higher</strong><br><code>unet[level=0.85] &gt; unet[level=0.9] on dice_endo, from Table 1</code></td><td>0.850 ± 0.000 (3 seeds) vs 0.900 ± 0.000 (3 seeds); Wilcoxon signed-rank over 16 test images: p = 3.1e-5, n = 16</td></tr>',
    );
    expect(main).toContain('<br>not enough seeds: 3 seeds, the claim needs 5</td></tr>');
  });

  it('refuses an experiment without claims', async () => {
    const result = await cardigan('check', tree.path('none.yaml'), '--cache', tree.path('cache'));
    expect(result.stderr).toBe(`error: ${tree.path('none.yaml')} has no claims: add a \`claims:\` list (README, "Claims")\n`);
    expect(result.code).toBe(1);
  });

  it('has help', async () => {
    const result = await cardigan('check', '--help');
    expect(result.stdout).toContain('Exit codes: 0 every claim is supported');
    expect(result.code).toBe(0);
  });
});
