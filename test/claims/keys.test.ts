import * as path from 'path';
import { loadExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { registerBuiltinNodes } from '../../nodes/types';
import { ExperimentTree } from '../rig/experiment-tree';

/** `claims:` and `leakage:` say what to check, never what to compute: no node's key material changes. */
test('paper.yaml without its claims and with another leakage choice resolves to the same nodes', async () => {
  const paper = path.resolve(__dirname, '../../experiments/paper.yaml');
  const tree = await ExperimentTree.create({ 'bare.yaml': `extends: ${JSON.stringify(paper)}\nname: paper\nclaims: []\nleakage: { validation: allow }\n` });
  const load = async (file: string): Promise<unknown> => {
    const registry = new NodeRegistry();
    registerBuiltinNodes(registry);
    const experiment = await loadExperiment(file, { registry });
    return { seed: experiment.seed, nodes: experiment.nodes.map(({ id, type, params, inputs, seed }) => ({ id, type, params, inputs, seed })) };
  };
  try {
    const [withClaims, without] = [await load(paper), await load(tree.path('bare.yaml'))];
    expect(without).toEqual(withClaims);
    expect(JSON.stringify(withClaims)).not.toContain('claim');
  } finally {
    await tree.remove();
  }
});
