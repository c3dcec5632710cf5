import { loadExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { defaultRow, modelRows, parseMatrixId } from '../../nodes/evaluate/row-labels';
import { registerBuiltinNodes } from '../../nodes/types/index';
import { ExperimentTree } from '../rig/experiment-tree';
import { makeDataNode } from '../rig/test-nodes';

/** The evaluate node as an experiment declares it, and how its models become Table 1 rows. */

let tree: ExperimentTree | undefined;
afterEach(async () => tree?.remove());

const PAPER = `seed: 1
nodes:
  camus: { type: make-data }
  camuspp: { type: make-data }
  unet:
    type: train-unet
    inputs: { val: camus.val }
    matrix: { train: [camus.train, camuspp.train] }
  enet: { type: train-enet, inputs: { train: camus.train, val: camus.val } }
  table1:
    type: evaluate
    inputs: { models: [unet, enet], test: camus.val }
`;

async function load(text: string) {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  registry.register(makeDataNode);
  tree = await ExperimentTree.create({ 'x.yaml': text });
  return loadExperiment('x.yaml', { registry, cwd: tree.root });
}

describe('evaluate in an experiment', () => {
  it('fans in a matrix group and a plain model, with the documented defaults', async () => {
    const experiment = await load(PAPER);
    const node = experiment.nodes.find((n) => n.id === 'table1');
    expect(node?.inputs.models.map((ref) => ref.nodeId)).toEqual(['unet[train=camus]', 'unet[train=camuspp]', 'enet']);
    expect(node?.params).toEqual({ protocol: 'segmentation', resolution: 'native', rows: {}, hausdorff: 'max', clinical: true, batchSize: 8, examples: 4 });
  });

  it('refuses a misspelt row field where it is written', async () => {
    const text = PAPER.replace(
      'inputs: { models: [unet, enet], test: camus.val }',
      'inputs: { models: [unet, enet], test: camus.val }\n    params: { rows: { enet: { dataset: CAMUS, modle: ENet } } }',
    );
    await expect(load(text)).rejects.toThrow(
      'x.yaml:13:47 error: unknown key "modle" in param "rows.enet" of node "table1" — did you mean "model"?\n' +
        '  13 |     params: { rows: { enet: { dataset: CAMUS, modle: ENet } } }\n' +
        '     |                                               ^~~~~',
    );
  });
});

describe('Table 1 rows', () => {
  it('are read from matrix ids and model classes', () => {
    expect(parseMatrixId('unet[train=camuspp,lr=0.01]')).toEqual({
      base: 'unet',
      cells: [
        ['train', 'camuspp'],
        ['lr', '0.01'],
      ],
    });
    // The paper's datasets under the paper's names; others as the matrix labels them.
    expect(defaultRow('unet[train=camuspp]', 'UNet')).toEqual({ dataset: 'CAMUS++', model: 'U-Net' });
    expect(defaultRow('enet[lr=0.01,train=camusx]', 'ENet')).toEqual({ dataset: 'CAMUSx', model: 'ENet (lr=0.01)' });
    expect(defaultRow('unet[train=camuspp-batch16]', 'UNet')).toEqual({ dataset: 'camuspp-batch16', model: 'U-Net' });
    // The seed is not part of the row: seeds of one model share it.
    expect(defaultRow('unet[train=camus,seed=3]', 'UNet')).toEqual({ dataset: 'CAMUS', model: 'U-Net' });
    expect(defaultRow('unet[seed=3]', 'UNet')).toEqual({ dataset: 'unet', model: 'U-Net' });
    expect(defaultRow('seg[size=64]', 'MaskNet')).toEqual({ dataset: '64', model: 'MaskNet' });
    expect(defaultRow('unet', 'UNet')).toEqual({ dataset: 'unet', model: 'U-Net' });
  });

  it("match the paper's rows by dataset alias and model, also with other matrix values", () => {
    const rows = modelRows(
      [
        { id: 'unet[train=camusx,seed=2]', className: 'UNet' },
        { id: 'mine', className: 'ENet' },
        { id: 'other', className: 'UNet' },
      ],
      { mine: { dataset: 'CAMUS++', model: 'ENet' }, other: { dataset: 'CAMUS', model: 'U-Net (wide)' } },
    );
    expect(rows.map((r) => [r.dataset, r.model, r.paper?.dataset ?? null, r.paper?.model ?? null])).toEqual([
      ['CAMUSx', 'U-Net', 'CAMUSx', 'U-Net'],
      ['CAMUS++', 'ENet', 'CAMUS++', 'ENet'],
      // A row named by hand is compared only with the paper row of exactly that name.
      ['CAMUS', 'U-Net (wide)', null, null],
    ]);
  });

  it('put the seeds of one model on one row, each with its seed', () => {
    const rows = modelRows([1, 2, 3].map((seed) => ({ id: `unet[train=camus,seed=${seed}]`, className: 'UNet' })));
    expect(rows.map((r) => [r.dataset, r.model, r.seed])).toEqual([1, 2, 3].map((seed) => ['CAMUS', 'U-Net', String(seed)]));
    // A model without a seed beside seeded ones on its row is still ambiguous.
    expect(() =>
      modelRows(
        [
          { id: 'unet[train=camus,seed=1]', className: 'UNet' },
          { id: 'other', className: 'UNet' },
        ],
        { other: { dataset: 'CAMUS', model: 'U-Net' } },
      ),
    ).toThrow('models unet[train=camus,seed=1] and other both fill the Table 1 row "CAMUS / U-Net"');
  });

  it('refuse two models on one row', () => {
    expect(() =>
      modelRows(
        [
          { id: 'a', className: 'UNet' },
          { id: 'b', className: 'UNet' },
        ],
        { a: { dataset: 'CAMUS', model: 'U-Net' }, b: { dataset: 'CAMUS', model: 'U-Net' } },
      ),
    ).toThrow('models a and b both fill the Table 1 row "CAMUS / U-Net"; name their rows in params.rows');
  });
});
