import * as path from 'path';
import { loadExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import type { ResolvedExperiment, ResolvedNode } from '../../engine/experiment/resolved';
import { nodeSeed } from '../../engine/experiment/node-seed';
import { ExperimentTree } from '../rig/experiment-tree';
import { registerTestNodes } from '../rig/test-nodes';

function testRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  registerTestNodes(registry);
  return registry;
}

let tree: ExperimentTree;
afterEach(async () => tree?.remove());

async function load(files: Record<string, string>, set?: string[], registry = testRegistry()): Promise<ResolvedExperiment> {
  tree = await ExperimentTree.create(files);
  return loadExperiment('x.yaml', { registry, cwd: tree.root, set });
}

function byId(experiment: ResolvedExperiment, id: string): ResolvedNode {
  const node = experiment.nodes.find((n) => n.id === id);
  if (node === undefined) throw new Error(`no node ${id} among ${experiment.nodes.map((n) => n.id).join(', ')}`);
  return node;
}

/** Every node comes after all of its inputs. */
function expectTopological(experiment: ResolvedExperiment): void {
  const position = new Map(experiment.nodes.map((n, i) => [n.id, i]));
  for (const node of experiment.nodes) {
    for (const refs of Object.values(node.inputs)) {
      for (const ref of refs) expect(position.get(ref.nodeId)).toBeLessThan(position.get(node.id) as number);
    }
  }
}

const MATRIX = `seed: 11
nodes:
  eval: { type: tabulate, inputs: { models: unet, test: camus.val } }
  camus: { type: make-data }
  camuspp: { type: make-data, params: { count: 8 } }
  camusx: { type: make-data, params: { size: 64 } }
  unet:
    type: train
    inputs: { val: camus.val }
    matrix:
      train: [camus.train, camuspp.train, camusx.train]
      lr: [0.001, 0.01]
`;

describe('matrix', () => {
  it('expands 3×2 into 6 nodes with readable ids in a stable order, each with its own inputs and params', async () => {
    const experiment = await load({ 'x.yaml': MATRIX });
    const unet = experiment.nodes.filter((n) => n.group === 'unet');
    expect(unet.map((n) => n.id)).toEqual([
      'unet[train=camus,lr=0.001]',
      'unet[train=camus,lr=0.01]',
      'unet[train=camuspp,lr=0.001]',
      'unet[train=camuspp,lr=0.01]',
      'unet[train=camusx,lr=0.001]',
      'unet[train=camusx,lr=0.01]',
    ]);
    expect(unet.map((n) => [n.inputs.train[0].nodeId, n.params.lr])).toEqual([
      ['camus', 0.001],
      ['camus', 0.01],
      ['camuspp', 0.001],
      ['camuspp', 0.01],
      ['camusx', 0.001],
      ['camusx', 0.01],
    ]);
    for (const node of unet) {
      expect(node.inputs.val).toEqual([{ nodeId: 'camus', port: 'val' }]);
      expect(node.params).toEqual({ lr: node.params.lr, epochs: 2, optimizer: 'adam' });
      expect(node.seed).toBe(nodeSeed(11, node.id));
    }
    expect(unet[3].matrix).toEqual({ train: 'camuspp', lr: '0.01' });
    expect(new Set(unet.map((n) => n.seed)).size).toBe(6);
    expectTopological(experiment);
  });

  it('fans a group reference into a multiple port in expansion order, inferring the port from its type', async () => {
    const experiment = await load({ 'x.yaml': MATRIX });
    expect(byId(experiment, 'eval').inputs.models).toEqual(experiment.nodes.filter((n) => n.group === 'unet').map((n) => ({ nodeId: n.id, port: 'model' })));
  });

  it('gives the same ids, order and seeds whatever else the file holds or where the node sits', async () => {
    const first = await load({ 'x.yaml': MATRIX });
    const moved =
      MATRIX.replace('  eval: { type: tabulate, inputs: { models: unet, test: camus.val } }\n', '') +
      '  extra: { type: source }\n  eval: { type: tabulate, inputs: { models: unet, test: camus.val } }\n';
    const second = await load({ 'x.yaml': moved });
    const summary = (e: ResolvedExperiment): [string, number][] => e.nodes.filter((n) => n.group === 'unet').map((n) => [n.id, n.seed]);
    expect(summary(second)).toEqual(summary(first));
    expect(byId(second, 'eval').inputs).toEqual(byId(first, 'eval').inputs);
  });

  it('mixes a group, a generated id and a plain node in one fan-in list', async () => {
    const experiment = await load({
      'x.yaml': `nodes:
  data: { type: make-data }
  unet: { type: train, inputs: { train: data.train }, matrix: { epochs: [1, 2] } }
  enet: { type: train, inputs: { train: data.train } }
  eval: { type: tabulate, inputs: { models: [enet, "unet[epochs=2].model", unet], test: data.val } }
`,
    });
    expect(byId(experiment, 'eval').inputs.models.map((r) => r.nodeId)).toEqual(['enet', 'unet[epochs=2]', 'unet[epochs=1]', 'unet[epochs=2]']);
  });

  it('takes mappings as matrix values, labelled by position, and seeds as a matrix key', async () => {
    const experiment = await load({
      'x.yaml': `nodes:
  data: { type: make-data, matrix: { seed: [1, 2], size: [16, 32] } }
  s: { type: source, matrix: { value: [0.5, -2] } }
`,
    });
    expect(experiment.nodes.map((n) => [n.id, n.seed, n.params.size ?? n.params.value])).toEqual([
      ['data[seed=1,size=16]', 1, 16],
      ['data[seed=1,size=32]', 1, 32],
      ['data[seed=2,size=16]', 2, 16],
      ['data[seed=2,size=32]', 2, 32],
      ['s[value=0.5]', nodeSeed(0, 's[value=0.5]'), 0.5],
      ['s[value=-2]', nodeSeed(0, 's[value=-2]'), -2],
    ]);
  });
});

describe('params', () => {
  it('layers schema defaults < defaults[type] < params < matrix < --set, and keeps cosmetic fields out', async () => {
    const experiment = await load(
      {
        'x.yaml': `defaults:
  train: { epochs: 5, optimizer: sgd, lr: 0.5 }
nodes:
  data: { type: make-data }
  unet:
    type: train
    label: U-Net
    description: the baseline
    inputs: { train: data.train }
    params: { lr: 0.25 }
    matrix: { epochs: [7, 8] }
`,
      },
      ['unet[epochs=8].params.lr=0.125'],
    );
    const [seven, eight] = experiment.nodes.filter((n) => n.group === 'unet');
    expect(seven.params).toEqual({ lr: 0.25, epochs: 7, optimizer: 'sgd' });
    expect(eight.params).toEqual({ lr: 0.125, epochs: 8, optimizer: 'sgd' });
    expect(byId(experiment, 'data').params).toEqual({ size: 32, count: 4 });
    expect(seven.label).toBe('U-Net');
    expect(seven.description).toBe('the baseline');
  });

  it('reads --set values as YAML and sets nested keys of a param', async () => {
    const registry = testRegistry();
    registry.register({
      type: 'nested',
      version: 1,
      description: 'takes a nested param',
      paramsSchema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          source: {
            type: 'object',
            additionalProperties: false,
            properties: { patients: { type: 'integer', default: 500 }, name: { type: 'string', default: 'camus' } },
          },
          flags: { type: 'array', items: { type: 'boolean' }, default: [] },
        },
      },
      inputs: {},
      outputs: { out: { type: 'file', description: 'x' } },
      resource: 'cpu',
      run: async () => undefined,
    });
    const experiment = await load(
      { 'x.yaml': 'nodes:\n  n: { type: nested, params: { source: { name: real } } }\n' },
      ['n.params.source.patients=20', 'n.params.flags=[true, false]'],
      registry,
    );
    expect(experiment.nodes[0].params).toEqual({ source: { name: 'real', patients: 20 }, flags: [true, false] });
  });

  it('shares a YAML anchor between nodes, each getting its own copy of the params', async () => {
    const experiment = await load({
      'x.yaml': `nodes:
  data: { type: make-data }
  a: { type: train, inputs: { train: data.train }, params: &common { epochs: 3 } }
  b: { type: train, inputs: { train: data.train }, params: *common }
`,
    });
    const [a, b] = [byId(experiment, 'a'), byId(experiment, 'b')];
    expect(a.params).toEqual({ epochs: 3, lr: 0.001, optimizer: 'adam' });
    expect(b.params).toEqual(a.params);
    expect(b.params).not.toBe(a.params);
  });
});

const BASE = `name: paper
seed: 1
defaults:
  train: { epochs: 5 }
nodes:
  data: { type: make-data, params: { size: 64 } }
  unet:
    type: train
    inputs: { train: data.train, val: data.val }
    params: { lr: 0.01, optimizer: sgd }
  enet: { type: train, inputs: { train: data.train } }
  probe: { type: source, params: { value: 3 } }
`;

describe('extends', () => {
  it('merges a chain of files key by key, deletes with null, replaces a node whose type changes, and applies --set last', async () => {
    const experiment = await load(
      {
        'experiments/base.yaml': BASE,
        'experiments/small.yaml': 'extends: base.yaml\nname: small\nnodes:\n  data: { params: { size: 16 } }\n',
        'x.yaml': `extends: experiments/small.yaml
seed: 2
defaults:
  train: { optimizer: adam }
nodes:
  unet:
    params: { epochs: 7 }
    inputs: { val: null }
  enet: null
  probe: { type: make-data }
`,
      },
      ['unet.params.lr=0.5', 'probe.seed=42'],
    );
    expect(experiment.name).toBe('small');
    expect(experiment.seed).toBe(2);
    expect(experiment.files?.map((f) => path.relative(tree.root, f))).toEqual([
      'x.yaml',
      path.join('experiments', 'small.yaml'),
      path.join('experiments', 'base.yaml'),
    ]);
    expect(experiment.nodes.map((n) => n.id)).toEqual(['data', 'probe', 'unet']);
    const unet = byId(experiment, 'unet');
    // lr from --set, epochs from the child, optimizer from the base's node params (they win over defaults).
    expect(unet.params).toEqual({ lr: 0.5, optimizer: 'sgd', epochs: 7 });
    expect(unet.inputs).toEqual({ train: [{ nodeId: 'data', port: 'train' }] });
    expect(unet.seed).toBe(nodeSeed(2, 'unet'));
    expect(byId(experiment, 'data').params).toEqual({ size: 16, count: 4 });
    const probe = byId(experiment, 'probe');
    expect([probe.type, probe.params, probe.seed]).toEqual(['make-data', { size: 32, count: 4 }, 42]);
  });

  it('lets a child turn a base node into a matrix over an inherited input', async () => {
    const experiment = await load({
      'base.yaml': 'nodes:\n  data: { type: make-data }\n  unet: { type: train, inputs: { train: data.train }, params: { lr: 0.5 } }\n',
      'x.yaml': 'extends: base.yaml\nnodes:\n  unet: { matrix: { train: [data.train, data.val], lr: [0.1] } }\n',
    });
    expect(experiment.nodes.filter((n) => n.group === 'unet').map((n) => [n.id, n.inputs.train[0].port, n.params.lr])).toEqual([
      ['unet[train=data.train,lr=0.1]', 'train', 0.1],
      ['unet[train=data.val,lr=0.1]', 'val', 0.1],
    ]);
  });

  it("lets --set seed=N change every derived seed, but not a node's own seed", async () => {
    const files = { 'x.yaml': 'seed: 5\nnodes:\n  a: { type: source }\n  b: { type: source, seed: 77 }\n' };
    const before = await load(files);
    const after = await load(files, ['seed=6']);
    expect([after.seed, byId(after, 'a').seed, byId(after, 'b').seed]).toEqual([6, nodeSeed(6, 'a'), 77]);
    expect(byId(before, 'a').seed).toBe(nodeSeed(5, 'a'));
    expect(byId(before, 'a').seed).not.toBe(byId(after, 'a').seed);
  });
});

describe('plugins', () => {
  const PLUGIN = `exports.nodes = [{
  type: 'double', version: 1, description: 'doubles', resource: 'cpu',
  paramsSchema: { type: 'object', additionalProperties: false, properties: { factor: { type: 'number', default: 2 } } },
  inputs: { values: { type: 'file', description: 'numbers' } },
  outputs: { out: { type: 'file', description: 'doubled' } },
  run: async () => undefined,
}];
`;

  it('registers node types from modules relative to the file that names them, through the registry API', async () => {
    const testNodes = path.join(__dirname, '..', 'rig', 'test-nodes.ts');
    const registry = new NodeRegistry();
    tree = await ExperimentTree.create({ 'lib/double.js': PLUGIN });
    await tree.write({
      'base/base.yaml': `plugins: [${path.relative(tree.path('base'), testNodes)}]\nnodes:\n  s: { type: source }\n`,
      'x.yaml': 'extends: base/base.yaml\nplugins: [./lib/double.js]\nnodes:\n  d: { type: double, inputs: { values: s.out } }\n',
    });
    const experiment = await loadExperiment('x.yaml', { registry, cwd: tree.root });
    expect(experiment.plugins).toEqual([testNodes, tree.path('lib/double.js')]);
    expect(byId(experiment, 'd').params).toEqual({ factor: 2 });
    expect(registry.names()).toEqual(['double', 'make-data', 'source', 'sum', 'tabulate', 'train']);
    // The same registry can load the experiment again: plugins are not registered twice.
    await expect(loadExperiment('x.yaml', { registry, cwd: tree.root })).resolves.toMatchObject({ name: 'x' });
  });

  it('reports a plugin that throws while loading, at its entry', async () => {
    tree = await ExperimentTree.create({ 'bad.js': "throw new Error('boom');\n", 'x.yaml': 'plugins:\n  - ./bad.js\nnodes: {}\n' });
    await expect(loadExperiment('x.yaml', { registry: testRegistry(), cwd: tree.root })).rejects.toThrow(
      'x.yaml:2:5 error: cannot load plugin "./bad.js": boom',
    );
  });
});

describe('node types that cannot be used safely', () => {
  it('reports unsafe port names and params schemas ajv refuses, at the node using the type', async () => {
    const registry = testRegistry();
    const base = { version: 1, description: 'broken', resource: 'cpu' as const, run: async () => undefined };
    registry.register({ ...base, type: 'escape', paramsSchema: { type: 'object' }, inputs: {}, outputs: { '../out': { type: 'file', description: 'x' } } });
    registry.register({
      ...base,
      type: 'sloppy',
      paramsSchema: { type: 'object', properties: { a: { type: 'number', defualt: 1 } } },
      inputs: {},
      outputs: {},
    });
    tree = await ExperimentTree.create({ 'x.yaml': 'nodes:\n  a: { type: escape }\n  b: { type: sloppy }\n' });
    const error = await loadExperiment('x.yaml', { registry, cwd: tree.root }).catch((e: Error) => e.message);
    expect(error).toContain('x.yaml:2:14 error: node type "escape" declares unsafe port names: "../out"');
    expect(error).toContain('x.yaml:3:14 error: node type "sloppy" has an invalid params schema: strict mode: unknown keyword: "defualt"');
  });
});
