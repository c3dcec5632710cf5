import { loadExperiment, resolveExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { registerBuiltinNodes } from '../../nodes/types/index';
import { ExperimentTree } from '../rig/experiment-tree';

let tree: ExperimentTree | undefined;
afterEach(async () => tree?.remove());

function builtins(): NodeRegistry {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  return registry;
}

const PIPELINE = `seed: 3
nodes:
  camus: { type: load-masks, params: { folder: masks } }
  vae: { type: train-mask-vae, inputs: { masks: camus.masks }, params: { size: 128, epochs: 5 } }
  samples: { type: sample-masks, inputs: { model: vae.model } }
  kept: { type: filter-degenerate-masks, inputs: { masks: samples.masks } }
  aligned: { type: align-mask-distribution, inputs: { masks: kept.masks, reference: camus.masks } }
`;

describe('mask VAE nodes in an experiment', () => {
  it('wire into masks → VAE → samples → filter → alignment, on the GPU slot, with the documented defaults', async () => {
    tree = await ExperimentTree.create({ 'x.yaml': PIPELINE });
    const experiment = await loadExperiment('x.yaml', { registry: builtins(), cwd: tree.root });
    const node = (id: string) => experiment.nodes.find((n) => n.id === id)!;
    expect(node('vae').params).toEqual({
      size: 128,
      latent: 32,
      blocks: null,
      initChannels: 48,
      epochs: 5,
      batchSize: 32,
      lr: 0.001,
      loss: 'ce+dice',
      klWeight: 0.05,
      seed: null,
    });
    expect(node('samples').params).toEqual({ count: 5000, seed: null, batchSize: 64, previewCount: 64 });
    const registry = builtins();
    expect([registry.get('train-mask-vae').resource, registry.get('sample-masks').resource]).toEqual(['gpu', 'gpu']);
  });

  it('refuses a dataset where the model goes and a misspelt param', async () => {
    tree = await ExperimentTree.create({
      'x.yaml': PIPELINE.replace('inputs: { model: vae.model }', 'inputs: { model: camus.masks }').replace('epochs: 5', 'epoch: 5'),
    });
    const result = await resolveExperiment('x.yaml', { registry: builtins(), cwd: tree.root });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.error.map((d) => d.message)).toEqual([
      'unknown param "epoch" for node "vae" (train-mask-vae) — did you mean "epochs"?',
      'camus.masks is a dataset but input "model" of node "samples" takes a model',
    ]);
  });
});
