import { readdirSync } from 'fs';
import * as path from 'path';
import { resolveExperiment } from '../engine/experiment';
import { NodeRegistry } from '../engine/registry';
import { registerBuiltinNodes } from '../nodes/index';

const EXPERIMENTS = path.join(__dirname, '..', 'experiments');
const FILES = readdirSync(EXPERIMENTS).filter((name) => name.endsWith('.yaml'));

const ref = (nodeId: string, port: string) => ({ nodeId, port });

function registry(): NodeRegistry {
  const built = new NodeRegistry();
  registerBuiltinNodes(built);
  return built;
}

describe('the shipped experiments', () => {
  it('include the paper, the quickstart and the segmentation run', () => {
    expect(FILES).toEqual(expect.arrayContaining(['paper.yaml', 'quickstart.yaml', 'segmentation-128.yaml']));
  });

  it.each(FILES)('%s validates against the built-in node types', async (name) => {
    const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
    if (!result.ok) throw new Error(result.error.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
    expect(result.value.nodes.length).toBeGreaterThan(3);
  });

  it('paper.yaml has the paper settings and quickstart.yaml only scales them down', async () => {
    const load = async (name: string) => {
      const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
      if (!result.ok) throw new Error(name);
      return new Map(result.value.nodes.map((node) => [node.id, node]));
    };
    const paper = await load('paper.yaml');
    const quick = await load('quickstart.yaml');
    expect(paper.get('spade')?.params).toMatchObject({ ngf: 48, ndf: 48, batchSize: 4, epochs: 50, decayFrom: 30, lr: 0.0002, beta1: 0, beta2: 0.999, vae: false });
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
    expect((camus?.params.source as { synthetic: { patients: number } }).synthetic.patients).toBeGreaterThanOrEqual(60);
    for (const id of ['unet[train=camus]', 'enet[train=camus]']) {
      expect(nodes.get(id)?.inputs).toEqual({ train: [ref('camus', 'train')], val: [ref('camus', 'val')] });
      expect(nodes.get(id)?.params).toMatchObject({ batchSize: 8, lr: 0.001, loss: 'ce', augmentation: false });
    }
    expect(nodes.get('table1')?.inputs).toEqual({ models: [ref('unet[train=camus]', 'model'), ref('enet[train=camus]', 'model')], test: [ref('camus', 'test')] });
  });
});
