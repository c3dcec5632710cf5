import { readdirSync } from 'fs';
import * as path from 'path';
import { resolveExperiment } from '../engine/experiment';
import { NodeRegistry } from '../engine/registry';
import { registerBuiltinNodes } from '../nodes/index';

const EXPERIMENTS = path.join(__dirname, '..', 'experiments');
const FILES = readdirSync(EXPERIMENTS).filter((name) => name.endsWith('.yaml'));

function registry(): NodeRegistry {
  const built = new NodeRegistry();
  registerBuiltinNodes(built);
  return built;
}

describe('the shipped experiments', () => {
  it('include the paper and the quickstart', () => {
    expect(FILES).toEqual(expect.arrayContaining(['paper.yaml', 'quickstart.yaml']));
  });

  it.each(FILES)('%s validates against the built-in node types', async (name) => {
    const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
    if (!result.ok) throw new Error(result.error.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('\n'));
    expect(result.value.nodes.length).toBeGreaterThanOrEqual(5);
  });

  it('masks.yaml is the mask branch of paper.yaml, wired the same, at 128 px and the paper\'s filter thresholds', async () => {
    const load = async (name: string) => {
      const result = await resolveExperiment(path.join(EXPERIMENTS, name), { registry: registry() });
      if (!result.ok) throw new Error(name);
      return new Map(result.value.nodes.map((node) => [node.id, node]));
    };
    const paper = await load('paper.yaml');
    const masks = await load('masks.yaml');
    expect([...masks.keys()]).toEqual(['camus', 'mask-vae', 'sampled', 'kept', 'aligned']);
    for (const [id, node] of masks) expect({ id, type: node.type, inputs: node.inputs }).toEqual({ id, type: paper.get(id)?.type, inputs: paper.get(id)?.inputs });
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
    expect(paper.get('spade')?.params).toMatchObject({ ngf: 48, ndf: 48, batchSize: 4, epochs: 50, decayFrom: 30, lr: 0.0002, beta1: 0, beta2: 0.999, vae: false });
    expect(paper.get('unet[train=camus]')?.params).toMatchObject({ epochs: 40, batchSize: 8, lr: 0.001 });
    expect(paper.get('sampled')?.params).toMatchObject({ count: 5000 });
    // Same graph: every node and edge of the paper is in the quickstart.
    expect([...quick.keys()].sort()).toEqual([...paper.keys()].sort());
    for (const [id, node] of paper) expect(quick.get(id)?.inputs).toEqual(node.inputs);
  });
});
