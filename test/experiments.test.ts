import { readdirSync } from 'fs';
import * as path from 'path';
import { resolveExperiment } from '../engine/experiment/experiment';
import { NodeRegistry } from '../engine/registry';
import type { ResolvedNode } from '../engine/experiment/resolved';
import { registerBuiltinNodes } from '../nodes/types/index';

const EXPERIMENTS = path.join(__dirname, '..', 'experiments');
const FILES = readdirSync(EXPERIMENTS).filter((name) => name.endsWith('.yaml'));

function registry(): NodeRegistry {
  const built = new NodeRegistry();
  registerBuiltinNodes(built);
  return built;
}

async function load(name: string): Promise<Map<string, ResolvedNode>> {
  const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
  if (!result.ok) throw new Error(result.error.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
  return new Map(result.value.nodes.map((node) => [node.id, node]));
}

function get(nodes: Map<string, ResolvedNode>, id: string): ResolvedNode {
  const node = nodes.get(id);
  if (node === undefined) throw new Error(`no node ${id} (nodes: ${[...nodes.keys()].join(', ')})`);
  return node;
}

/** What a node's cache key is made of, before its inputs' contents: same parts and same inputs → same key. */
function keyParts(node: ResolvedNode): unknown {
  return { type: node.type, params: node.params, inputs: node.inputs, seed: node.seed };
}

/** The params of `a` and `b` that differ, as { key: [a's, b's] }. */
function paramDiff(a: ResolvedNode, b: ResolvedNode): Record<string, [unknown, unknown]> {
  const keys = new Set([...Object.keys(a.params), ...Object.keys(b.params)]);
  const diff: Record<string, [unknown, unknown]> = {};
  for (const key of keys) if (JSON.stringify(a.params[key]) !== JSON.stringify(b.params[key])) diff[key] = [a.params[key], b.params[key]];
  return diff;
}

const ref = (nodeId: string, port: string) => [{ nodeId, port }];

describe('the shipped experiments', () => {
  it('include the paper, the quickstart, the ablations, the masks and the segmentation runs', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'paper.yaml',
        'quickstart.yaml',
        'ablation-batch-size.yaml',
        'ablation-dataset-size.yaml',
        'ablation-vae-head.yaml',
        'ablation-seeds.yaml',
        'masks.yaml',
        'segmentation-128.yaml',
      ]),
    );
  });

  it.each(FILES)('%s validates against the built-in node types', async (name) => {
    const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
    if (!result.ok) throw new Error(result.error.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
    expect(result.value.nodes.length).toBeGreaterThanOrEqual(4);
  });

  it("masks.yaml is the mask branch of paper.yaml, wired the same, at 128 px and the paper's filter thresholds", async () => {
    const load = async (name: string) => {
      const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
      if (!result.ok) throw new Error(name);
      return new Map(result.value.nodes.map((node) => [node.id, node]));
    };
    const paper = await load('paper.yaml');
    const masks = await load('masks.yaml');
    expect([...masks.keys()]).toEqual(['camus', 'mask-vae', 'sampled', 'kept', 'aligned']);
    for (const [id, node] of masks)
      expect({ id, type: node.type, inputs: node.inputs }).toEqual({ id, type: paper.get(id)?.type, inputs: paper.get(id)?.inputs });
    expect(masks.get('camus')?.params).toMatchObject({ size: 128, split: 'paper' });
    expect(masks.get('mask-vae')?.params).toMatchObject({ size: 128 });
    // No relaxed thresholds: the frontiers are measured at 256 px whatever the mask size.
    expect(masks.get('kept')?.params).toMatchObject({ maxMyoLaFrontier: 0.11, maxLvBackgroundFrontier: 0.4 });
  });

  it('paper.yaml has the paper settings and quickstart.yaml only scales them down', async () => {
    const load = async (name: string) => {
      const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
      if (!result.ok) throw new Error(name);
      return new Map(result.value.nodes.map((node) => [node.id, node]));
    };
    const paper = await load('paper.yaml');
    const quick = await load('quickstart.yaml');
    expect(paper.get('spade')?.params).toMatchObject({
      ngf: 48,
      ndf: 48,
      batchSize: 4,
      epochs: 50,
      decayFrom: 30,
      lr: 0.0002,
      beta1: 0,
      beta2: 0.999,
      vae: false,
    });
    expect(paper.get('unet[train=camus]')?.params).toMatchObject({ epochs: 40, batchSize: 8, lr: 0.001 });
    expect(paper.get('sampled')?.params).toMatchObject({ count: 5000 });
    // Same graph: every node and edge of the paper is in the quickstart.
    expect([...quick.keys()].sort()).toEqual([...paper.keys()].sort());
    for (const [id, node] of paper) expect(quick.get(id)?.inputs).toEqual(node.inputs);
  });

  it('segmentation-128.yaml trains U-Net and ENet on CAMUS train at 128×128 and evaluates them on its test split, with nothing else', async () => {
    const result = await resolveExperiment(path.join(EXPERIMENTS, 'segmentation-128.yaml'), { registry: registry() });
    if (!result.ok) throw new Error('segmentation-128.yaml');
    const nodes = new Map(result.value.nodes.map((node) => [node.id, node]));
    expect([...nodes.keys()].sort()).toEqual(['camus', 'enet[train=camus]', 'table1', 'unet[train=camus]']);
    const camus = nodes.get('camus');
    expect(camus?.params).toMatchObject({ size: 128, split: 'paper' });
    // Enough patients for a 10 % test split of at least 6 patients (24 images).
    expect((camus!.params.source as { synthetic: { patients: number } }).synthetic.patients).toBeGreaterThanOrEqual(60);
    for (const id of ['unet[train=camus]', 'enet[train=camus]']) {
      expect(nodes.get(id)?.inputs).toEqual({ train: ref('camus', 'train'), val: ref('camus', 'val') });
      expect(nodes.get(id)?.params).toMatchObject({ batchSize: 8, lr: 0.001, loss: 'ce', augmentation: false });
    }
    expect(nodes.get('table1')?.inputs).toEqual({
      models: [...ref('unet[train=camus]', 'model'), ...ref('enet[train=camus]', 'model')],
      test: ref('camus', 'test'),
    });
  });
});

describe('the ablations of the paper', () => {
  let paper: Map<string, ResolvedNode>;
  beforeAll(async () => {
    paper = await load('paper.yaml');
  });

  /** Every paper node the ablation keeps is the paper's node, key parts and all (so the cache is shared). */
  function expectPaperNodesShared(ablation: Map<string, ResolvedNode>, changed: readonly string[]): void {
    for (const [id, node] of paper) {
      if (changed.includes(id)) continue;
      expect([id, keyParts(get(ablation, id))]).toEqual([id, keyParts(node)]);
    }
  }

  /** Nodes of these types appear once: the upstream of the paper is not duplicated. */
  function expectSingle(nodes: Map<string, ResolvedNode>, types: readonly string[]): void {
    for (const type of types) expect([type, [...nodes.values()].filter((n) => n.type === type).length]).toEqual([type, 1]);
  }

  const UPSTREAM = ['train-mask-vae', 'sample-masks', 'filter-degenerate-masks', 'align-mask-distribution', 'umap', 'evaluate'];

  /** A variant chain: SPADE → CAMUSx → CAMUS++ → U-Net and ENet on both, next to the paper's chain. */
  function expectVariantChain(nodes: Map<string, ResolvedNode>, suffix: string): void {
    expect(get(nodes, `camusx-${suffix}`).inputs).toEqual({ model: ref(`spade-${suffix}`, 'model'), masks: ref('aligned', 'masks') });
    expect(get(nodes, `camuspp-${suffix}`).inputs.datasets).toEqual([
      { nodeId: 'camus', port: 'train' },
      { nodeId: `camusx-${suffix}`, port: 'dataset' },
    ]);
    for (const family of ['unet', 'enet']) {
      const members = [...nodes.values()].filter((n) => n.group === family).map((n) => n.id);
      expect(members).toEqual(
        expect.arrayContaining([
          `${family}[train=camus]`,
          `${family}[train=camuspp]`,
          `${family}[train=camusx]`,
          `${family}[train=camuspp-${suffix}]`,
          `${family}[train=camusx-${suffix}]`,
        ]),
      );
      expect(members).toHaveLength(5);
      for (const data of ['camuspp', 'camusx']) {
        const variant = get(nodes, `${family}[train=${data}-${suffix}]`);
        expect(variant.inputs.train).toEqual(ref(`${data}-${suffix}`, 'dataset'));
        // The same training as the paper's model on that kind of data; only the data differs.
        expect(variant.params).toEqual(get(paper, `${family}[train=${data}]`).params);
      }
    }
    const table = get(nodes, 'table1');
    expect(table.inputs.models.map((m) => m.nodeId)).toHaveLength(10);
    expectSingle(nodes, UPSTREAM);
    expectPaperNodesShared(nodes, ['table1']);
  }

  it("batch size: a batch-16 SPADE that differs from the paper's only in batch size, with its own chain", async () => {
    const nodes = await load('ablation-batch-size.yaml');
    const spade = get(nodes, 'spade-batch16');
    expect(paramDiff(get(paper, 'spade'), spade)).toEqual({ batchSize: [4, 16] });
    expect(spade.inputs).toEqual(get(paper, 'spade').inputs);
    expectVariantChain(nodes, 'batch16');
    expectSingle(nodes, ['load-camus']);
  });

  it('dataset size: SPADE on the 4CH images of the same patient split, with its own chain', async () => {
    const nodes = await load('ablation-dataset-size.yaml');
    const camus4 = get(nodes, 'camus-4ch');
    expect(paramDiff(get(paper, 'camus'), camus4)).toEqual({ views: [['2CH', '4CH'], ['4CH']] });
    // Same seed, same cohort: the same patients in train, val and test (no test patient in SPADE's data).
    expect(camus4.seed).toBe(get(paper, 'camus').seed);
    const spade = get(nodes, 'spade-4ch');
    expect(paramDiff(get(paper, 'spade'), spade)).toEqual({});
    expect(spade.inputs).toEqual({ ...get(paper, 'spade').inputs, data: ref('camus-4ch', 'trainval') });
    expectVariantChain(nodes, '4ch');
  });

  it('VAE head: a SPADE with the head, several style sets per mask, and its own chain', async () => {
    const nodes = await load('ablation-vae-head.yaml');
    const spade = get(nodes, 'spade-vae');
    expect(paramDiff(get(paper, 'spade'), spade)).toEqual({ vae: [false, true] });
    const styled = [...nodes.values()].filter((n) => n.group === 'vae-styles');
    expect(styled.map((n) => n.id)).toEqual(['vae-styles[styles=camus.train]', 'vae-styles[styles=camus.val]', 'vae-styles[styles=camus.test]']);
    expect(styled.map((n) => n.inputs.styles)).toEqual([ref('camus', 'train'), ref('camus', 'val'), ref('camus', 'test')]);
    for (const node of styled)
      expect([node.params.styles, node.inputs.model, node.inputs.masks]).toEqual(['images', ref('spade-vae', 'model'), ref('camus', 'test')]);
    expect(get(nodes, 'camusx-vae').params.styles).toBe('images');
    expect(get(nodes, 'camusx-vae').inputs.styles).toEqual(ref('camus', 'trainval'));
    // generate's chain check, with the styles input set aside.
    const { styles: _styles, ...generateInputs } = get(nodes, 'camusx-vae').inputs;
    nodes.set('camusx-vae', { ...get(nodes, 'camusx-vae'), inputs: generateInputs });
    expectVariantChain(nodes, 'vae');
  });

  it('seeds: every segmentation model of Table 1 five times, differing only in its seed', async () => {
    const nodes = await load('ablation-seeds.yaml');
    for (const family of ['unet', 'enet']) {
      const members = [...nodes.values()].filter((n) => n.group === family);
      expect(members).toHaveLength(15);
      for (const data of ['camus', 'camuspp', 'camusx']) {
        const original = get(paper, `${family}[train=${data}]`);
        const seeds = [1, 2, 3, 4, 5].map((seed) => get(nodes, `${family}[train=${data},seed=${seed}]`));
        seeds.forEach((node, k) => {
          expect(paramDiff(original, node)).toEqual({ seed: [null, k + 1] });
          expect(node.inputs).toEqual(original.inputs);
        });
      }
    }
    expect(get(nodes, 'table1').inputs.models).toHaveLength(30);
    expectSingle(nodes, [...UPSTREAM, 'load-camus', 'train-spade', 'generate', 'merge-datasets']);
    const segmentation = [...paper.keys()].filter((id) => /^(unet|enet)\[/.test(id));
    expectPaperNodesShared(nodes, [...segmentation, 'table1']);
  });
});
