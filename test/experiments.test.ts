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
    expect(result.value.nodes.length).toBeGreaterThan(10);
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
