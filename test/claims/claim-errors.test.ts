import { UserError } from '../../engine/errors';
import { loadExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { ExperimentTree } from '../rig/experiment-tree';
import { registerTestNodes } from '../rig/test-nodes';

/** `claims:` mistakes, located like every other key (file:line:col, the line, a caret), word for word. */

const NODES = `nodes:
  data: { type: make-data }
  unet:
    type: train
    inputs: { train: data.train }
    matrix: { lr: [0.1, 0.01], seed: [1, 2] }
claims:
`;

async function load(claims: string): Promise<string> {
  const tree = await ExperimentTree.create({ 'x.yaml': NODES + claims });
  const registry = new NodeRegistry();
  registerTestNodes(registry);
  try {
    const experiment = await loadExperiment('x.yaml', { registry, cwd: tree.root, claimMetrics: ['dice_endo', 'hd_endo'] });
    return JSON.stringify(experiment.claims);
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  } finally {
    await tree.remove();
  }
}

describe('claims', () => {
  it('resolve each row to its seeds, with the schema defaults for alpha and minSeeds', async () => {
    expect(JSON.parse(await load('  - { id: c, a: "unet[lr=0.01]", relation: "<", b: "unet[lr=0.1]", metric: dice_endo, from: Table 1 }\n'))).toEqual([
      {
        id: 'c',
        a: { written: 'unet[lr=0.01]', ids: ['unet[lr=0.01,seed=1]', 'unet[lr=0.01,seed=2]'] },
        relation: '<',
        b: { written: 'unet[lr=0.1]', ids: ['unet[lr=0.1,seed=1]', 'unet[lr=0.1,seed=2]'] },
        metric: 'dice_endo',
        alpha: 0.05,
        minSeeds: 1,
        from: 'Table 1',
        location: expect.objectContaining({ line: 8, col: 5 }),
      },
    ]);
  });

  it('report every mistake at its place', async () => {
    const text = await load(`  - { id: a, a: "unte[lr=0.01]", relation: "<", b: unet, metric: dice_endoo, from: Table 1 }
  - { id: a, a: "unet[lr=0.01]", relation: "≈", b: "unet[lr=0.1]", metric: dice_endo, from: Table 1 }
  - { id: b, a: "unet[lr=0.01]", relation: "=", b: "unet[lr=0.1]", metric: hd_endo }
  - { id: d, a: "unet[lr=0.1]", relation: "<", b: "unet[lr=0.1]", metric: hd_endo, form: x, from: Table 1 }
  - { id: e, a: "unet[lr=0.5]", relation: "<", b: "unet[lr=0.1,seed=1]", metric: hd_endo, margin: 1, from: Table 1 }
`);
    expect(text).toBe(`x.yaml is not a valid experiment (10 errors):

x.yaml:8:17 error: claim "a": "unte[lr=0.01]" names no node — did you mean "unet"?
  8 |   - { id: a, a: "unte[lr=0.01]", relation: "<", b: unet, metric: dice_endoo, from: Table 1 }
    |                 ^~~~~~~~~~~~~~~

x.yaml:8:52 error: claim "a": "unet" selects 4 nodes that differ in lr (0.1, 0.01), not only by seed
  8 |   - { id: a, a: "unte[lr=0.01]", relation: "<", b: unet, metric: dice_endoo, from: Table 1 }
    |                                                    ^~~~
    = hint: name one value, e.g. "unet[lr=0.1]"

x.yaml:8:66 error: unknown metric "dice_endoo" in claim "a" — did you mean "dice_endo"?
  8 |   - { id: a, a: "unte[lr=0.01]", relation: "<", b: unet, metric: dice_endoo, from: Table 1 }
    |                                                                  ^~~~~~~~~~
    = hint: metrics: dice_endo, hd_endo

x.yaml:9:11 error: two claims are called "a"
  9 |   - { id: a, a: "unet[lr=0.01]", relation: "≈", b: "unet[lr=0.1]", metric: dice_endo, from: Table 1 }
    |           ^
    = hint: give every claim its own id

x.yaml:9:44 error: claim "a" says ≈ but gives no margin
  9 |   - { id: a, a: "unet[lr=0.01]", relation: "≈", b: "unet[lr=0.1]", metric: dice_endo, from: Table 1 }
    |                                            ^~~
    = hint: add \`margin:\` (the largest |a − b| that counts as equal, in the metric's unit)

x.yaml:10:5 error: claims[2] is missing "from"
  10 |   - { id: b, a: "unet[lr=0.01]", relation: "=", b: "unet[lr=0.1]", metric: hd_endo }
     |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~

x.yaml:10:44 error: claims[2].relation must be one of "<", ">", "≈", got "=" — did you mean "<"?
  10 |   - { id: b, a: "unet[lr=0.01]", relation: "=", b: "unet[lr=0.1]", metric: hd_endo }
     |                                            ^~~

x.yaml:11:84 error: unknown key "form" in claims[3] — did you mean "from"?
  11 |   - { id: d, a: "unet[lr=0.1]", relation: "<", b: "unet[lr=0.1]", metric: hd_endo, form: x, from: Table 1 }
     |                                                                                    ^~~~
     = hint: claim keys: id, says, a, relation, b, metric, margin, alpha, minSeeds, from

x.yaml:12:17 error: claim "e": "unet[lr=0.5]" selects no node of "unet"
  12 |   - { id: e, a: "unet[lr=0.5]", relation: "<", b: "unet[lr=0.1,seed=1]", metric: hd_endo, margin: 1, from: Table 1 }
     |                 ^~~~~~~~~~~~~~
     = hint: its nodes: unet[lr=0.1,seed=1], unet[lr=0.1,seed=2], unet[lr=0.01,seed=1], unet[lr=0.01,seed=2]

x.yaml:12:99 error: claim "e" says <: a margin only applies to ≈
  12 |   - { id: e, a: "unet[lr=0.5]", relation: "<", b: "unet[lr=0.1,seed=1]", metric: hd_endo, margin: 1, from: Table 1 }
     |                                                                                                   ^`);
  });
});

test('a claim naming a node that is itself broken adds no second error', async () => {
  const tree = await ExperimentTree.create({
    'x.yaml': 'nodes:\n  unet: { type: trian }\nclaims:\n  - { id: c, a: unet, relation: "<", b: other, metric: dice_endo, from: Table 1 }\n',
  });
  const registry = new NodeRegistry();
  registerTestNodes(registry);
  try {
    await expect(loadExperiment('x.yaml', { registry, cwd: tree.root })).rejects.toThrow(
      /^x\.yaml is not a valid experiment \(2 errors\):\n\nx\.yaml:2:17 error: unknown node type "trian" — did you mean "train"\?[^]*x\.yaml:4:41 error: claim "c": "other" names no node/,
    );
  } finally {
    await tree.remove();
  }
});
