import { UserError } from '../../engine/errors';
import { formatDiagnostic } from '../../engine/experiment/diagnostic';
import { loadExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { registerBuiltinNodes } from '../../nodes/types';
import { cardigan } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';

/**
 * Patient leakage, refused (test patients) or warned about (validation patients) before anything
 * runs, on graphs of the built-in node types that leak on purpose. Loading only: nothing runs.
 */

const CAMUS = `  camus: { type: load-camus, params: { source: { synthetic: { patients: 10 } }, size: 32 } }
`;

async function load(yaml: string): Promise<{ error?: string; warnings: string[] }> {
  const tree = await ExperimentTree.create({ 'x.yaml': yaml });
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  try {
    const experiment = await loadExperiment('x.yaml', { registry, cwd: tree.root });
    return { warnings: (experiment.warnings ?? []).map((w) => formatDiagnostic(w, tree.root)) };
  } catch (error) {
    if (error instanceof UserError) return { error: error.message, warnings: [] };
    throw error;
  } finally {
    await tree.remove();
  }
}

describe('test patients in a model evaluated on them', () => {
  it('are refused when they are merged into its training set, with the path', async () => {
    const result = await load(`nodes:
${CAMUS}  mix: { type: merge-datasets, inputs: { datasets: [camus.train, camus.test] } }
  unet: { type: train-unet, inputs: { train: mix.dataset, val: camus.val } }
  table1: { type: evaluate, inputs: { models: [unet.model], test: camus.test } }
`);
    expect(result.error).toBe(`x.yaml is not a valid experiment (1 error):

x.yaml:3:66 error: patient leak: the test patients of camus (camus.test) reach what table1 evaluates on them (the training data of unet): camus.test → mix.dataset → unet.model → table1 (models)
  3 |   mix: { type: merge-datasets, inputs: { datasets: [camus.train, camus.test] } }
    |                                                                  ^~~~~~~~~~
    = hint: a model must never learn from, or be selected on, the patients it is tested on: keep camus.test out of every input upstream of the models it scores`);
  });

  it('are refused when they reach it through a generator trained on them, one message for the whole matrix', async () => {
    const result = await load(`nodes:
${CAMUS}  spade: { type: train-spade, inputs: { data: camus.test } }
  camusx: { type: generate, inputs: { model: spade.model, masks: camus.train } }
  unet:
    type: train-unet
    matrix: { train: [camus.train, camusx.dataset], seed: [1, 2] }
    inputs: { val: camus.val }
  table1: { type: evaluate, inputs: { models: unet, test: camus.test } }
`);
    expect(result.error).toBe(`x.yaml is not a valid experiment (1 error):

x.yaml:3:47 error: patient leak: the test patients of camus (camus.test) reach what table1 evaluates on them (the training data of spade): camus.test → spade.model → camusx.dataset → unet[train=camusx,seed=1].model → table1 (models)
  3 |   spade: { type: train-spade, inputs: { data: camus.test } }
    |                                               ^~~~~~~~~~
    = hint: a model must never learn from, or be selected on, the patients it is tested on: keep camus.test out of every input upstream of the models it scores`);
  });

  it('are refused when they pick its epoch', async () => {
    const result = await load(`nodes:
${CAMUS}  unet: { type: train-unet, inputs: { train: camus.train, val: camus.test } }
  table1: { type: evaluate, inputs: { models: [unet.model], test: camus.test } }
`);
    expect(result.error).toContain(
      'x.yaml:3:64 error: patient leak: the test patients of camus (camus.test) reach what table1 evaluates on them (the model-selection data of unet): camus.test → unet.model → table1 (models)',
    );
  });

  it('pass when only what a node does not learn from sees them (the sample grid of a generator)', async () => {
    const result = await load(`nodes:
${CAMUS}  spade: { type: train-spade, inputs: { data: camus.train, validation: camus.test } }
  camusx: { type: generate, inputs: { model: spade.model, masks: camus.train } }
  unet: { type: train-unet, inputs: { train: camusx.dataset, val: camus.val } }
  table1: { type: evaluate, inputs: { models: [unet.model], test: camus.test } }
`);
    expect(result).toEqual({ warnings: [] });
  });
});

describe('validation patients in the training data of a model whose epoch they select', () => {
  const paperLike = (leakage: string): string => `${leakage}nodes:
${CAMUS}  spade: { type: train-spade, inputs: { data: camus.trainval } }
  camusx: { type: generate, inputs: { model: spade.model, masks: camus.train } }
  unet: { type: train-unet, matrix: { train: [camus.train, camusx.dataset] }, inputs: { val: camus.val } }
  table1: { type: evaluate, inputs: { models: unet, test: camus.test } }
`;
  const WARNING = `the validation patients of camus (camus.trainval) reach the training data of unet[train=camusx], whose epoch camus.val also selects: camus.trainval → spade.model → camusx.dataset → unet[train=camusx] (train)
  3 |   spade: { type: train-spade, inputs: { data: camus.trainval } }
    |                                               ^~~~~~~~~~~~~~
    = hint: the model is then chosen on patients it has seen, which flatters it; train the branch on the training split only, or keep it on purpose with \`leakage: { validation: allow }\` (\`error\` refuses such a graph)`;

  it('are a warning by default (the paper trains SPADE on train+val)', async () => {
    expect(await load(paperLike(''))).toEqual({ warnings: [`x.yaml:3:47 warning: ${WARNING}`] });
  });

  it('are an error or nothing, as the experiment chooses', async () => {
    expect((await load(paperLike('leakage: { validation: error }\n'))).error).toBe(
      `x.yaml is not a valid experiment (1 error):\n\nx.yaml:4:47 error: ${WARNING.replace(/\n {2}3 \|/, '\n  4 |')}`,
    );
    expect(await load(paperLike('leakage: { validation: allow }\n'))).toEqual({ warnings: [] });
  });

  it('the choice itself is checked like every key', async () => {
    expect((await load(paperLike('leakage: { validation: ignore }\n'))).error).toContain(
      'x.yaml:1:24 error: leakage.validation must be one of "warn", "error", "allow", got "ignore"',
    );
  });
});

describe('on the command line', () => {
  it('validate and plan print the warning and go on; a test leak stops them with exit 1', async () => {
    const validate = await cardigan('validate', 'experiments/paper.yaml');
    expect(
      validate.stderr,
    ).toBe(`experiments/paper.yaml:47:21 warning: the validation patients of camus (camus.trainval) reach the training data of 4 nodes (unet[train=camusx], enet[train=camusx], unet[train=camuspp], enet[train=camuspp]), whose epoch camus.val also selects: camus.trainval → spade.model → camusx.dataset → unet[train=camusx] (train)
  47 |     inputs: { data: camus.trainval, validation: camus.val }
     |                     ^~~~~~~~~~~~~~
     = hint: the model is then chosen on patients it has seen, which flatters it; train the branch on the training split only, or keep it on purpose with \`leakage: { validation: allow }\` (\`error\` refuses such a graph)
`);
    expect(validate.stdout).toBe('16 nodes, 29 edges, ok\n');
    expect(validate.code).toBe(0);
    const tree = await ExperimentTree.create({
      'leak.yaml': `nodes:\n${CAMUS}  unet: { type: train-unet, inputs: { train: camus.test, val: camus.val } }\n  table1: { type: evaluate, inputs: { models: [unet.model], test: camus.test } }\n`,
    });
    try {
      const plan = await cardigan('plan', tree.path('leak.yaml'), '--cache', tree.path('cache'));
      expect(plan.stderr).toContain(
        'error: patient leak: the test patients of camus (camus.test) reach what table1 evaluates on them (the training data of unet): camus.test → unet.model → table1 (models)',
      );
      expect(plan.code).toBe(1);
    } finally {
      await tree.remove();
    }
  });

  it('a node type whose lineage names no port is a bug in the type, located at its use', async () => {
    const plugin = `exports.nodes = [{ type: 'bad', version: 1, description: 'x', paramsSchema: { type: 'object' }, inputs: { a: { type: 'file', description: 'a', carries: ['a'] } }, outputs: { out: { type: 'file', description: 'o', carries: ['b'], role: 'train' } }, resource: 'cpu', run: async () => {} }];\n`;
    const tree = await ExperimentTree.create({ 'bad.js': plugin, 'x.yaml': 'plugins: [./bad.js]\nnodes:\n  n: { type: bad }\n' });
    try {
      const validate = await cardigan('validate', tree.path('x.yaml'));
      expect(
        validate.stderr,
      ).toContain(`:3:14 error: node type "bad" declares its subject lineage wrongly: input "a" has carries/split, which only outputs have; output "out" has a role, which only inputs have; output "out" carries "b", which is no input port
  3 |   n: { type: bad }
    |              ^~~
    = hint: this is a bug in the node type (or its plugin), not in the experiment`);
      expect(validate.code).toBe(1);
    } finally {
      await tree.remove();
    }
  });
});
