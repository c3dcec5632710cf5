import { spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import { ExperimentTree } from '../rig/experiment-tree';

const root = path.resolve(__dirname, '..', '..');

/** Packages that cost hundreds of milliseconds to load, and that nothing short of running a node needs. */
const HEAVY = /^(@tensorflow\/|@resvg\/|vega|umap-js$)/;

/**
 * Start-up cost: node types register from definition modules that import nothing from npm; their
 * implementations (tfjs, vega, umap-js...) load only when a node runs (engine/node-api.ts). Checked in
 * a fresh process, whose require.cache says what was really loaded.
 */
test('registering the built-in nodes, --help, validate and plan load no heavy package', async () => {
  const tree = await ExperimentTree.create({
    'exp.yaml': `nodes:
  masks: { type: load-masks, params: { folder: masks } }
  good: { type: filter-degenerate-masks, inputs: { masks: masks.masks } }
  aligned: { type: align-mask-distribution, inputs: { masks: good.masks, reference: masks.masks } }
  map: { type: umap, inputs: { datasets: [good.masks, aligned.masks] } }
  camus: { type: load-camus, params: { source: { synthetic: { patients: 2 } } } }
  both: { type: merge-datasets, inputs: { datasets: [camus.train, camus.val] } }
`,
  });
  try {
    const out = tree.path('loaded.json');
    const child = spawnSync(
      process.execPath,
      ['-r', path.join(root, 'test/rig/ts-register.js'), path.join(root, 'test/rig/loaded-modules.ts'), tree.path('exp.yaml'), tree.path('cache'), out],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    const loaded = JSON.parse(readFileSync(out, 'utf8')) as Record<'register' | 'help' | 'validate' | 'plan', string[]>;
    // A node type's definition module imports nothing from npm at all.
    expect(loaded.register).toEqual([]);
    expect(loaded.help).toEqual([]);
    expect(loaded.validate.filter((name) => HEAVY.test(name))).toEqual([]);
    expect(loaded.plan.filter((name) => HEAVY.test(name))).toEqual([]);
    // The loader's own libraries are there: the check above is looking at the right process.
    expect(loaded.validate).toEqual(expect.arrayContaining(['ajv', 'graphology', 'yaml']));
  } finally {
    await tree.remove();
  }
});
