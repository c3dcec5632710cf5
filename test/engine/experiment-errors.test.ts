import { UserError } from '../../engine/errors';
import { loadExperiment, resolveExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { ExperimentTree } from '../rig/experiment-tree';
import { registerTestNodes } from '../rig/test-nodes';
import { GOLDEN_CASES } from './golden-cases';
import type { GoldenCase } from './golden-cases';

function testRegistry(): NodeRegistry {
  const registry = new NodeRegistry();
  registerTestNodes(registry);
  return registry;
}

async function errorText({ files, set }: Pick<GoldenCase, 'files' | 'set'>): Promise<string> {
  const tree = await ExperimentTree.create(files);
  try {
    await loadExperiment('x.yaml', { registry: testRegistry(), cwd: tree.root, set });
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  } finally {
    await tree.remove();
  }
  throw new Error('the experiment loaded, but it should have been rejected');
}

describe('golden error text of bad experiments', () => {
  it.each(GOLDEN_CASES.map((c) => [c.name, c] as const))('%s', async (_name, golden) => {
    expect(await errorText(golden)).toBe(golden.expected);
  });
});

describe('diagnostics as data', () => {
  it('reports every problem with file, line and column, sorted, without throwing', async () => {
    const tree = await ExperimentTree.create({
      'x.yaml': 'nodes:\n  data: { type: make-data, params: { size: 2 } }\n  unet: { type: trian }\n',
    });
    const result = await resolveExperiment('x.yaml', { registry: testRegistry(), cwd: tree.root });
    await tree.remove();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map(({ file, line, col, message }) => ({ file, line, col, message }))).toEqual([
      { file: tree.path('x.yaml'), line: 2, col: 44, message: 'param "size" of node "data" must be >= 8, got 2' },
      { file: tree.path('x.yaml'), line: 3, col: 17, message: 'unknown node type "trian" — did you mean "train"?' },
    ]);
  });

  it('names a missing experiment file', async () => {
    const tree = await ExperimentTree.create({});
    await expect(loadExperiment('nope.yaml', { registry: testRegistry(), cwd: tree.root })).rejects.toThrow(
      'nope.yaml is not a valid experiment (1 error):\n\nnope.yaml:1:1 error: cannot read the experiment file: no such file',
    );
    await tree.remove();
  });

  it('reports a matrix value error once for the whole group, at the value', async () => {
    const text = await errorText({
      files: {
        'x.yaml':
          'nodes:\n  data: { type: make-data }\n  unet:\n    type: train\n    inputs: { train: data.train }\n    matrix: { lr: [0.1, -1], epochs: [1, 2, 3] }\n',
      },
    });
    // Three nodes carry lr = -1; one mistake, one diagnostic.
    expect(text).toMatch(/^x\.yaml is not a valid experiment \(1 error\):/);
    expect(text).toContain('x.yaml:6:25 error: param "lr" of node "unet" must be > 0, got -1');
  });
});
