import * as path from 'path';
import { commandTable } from '../../engine/cli/main';
import { CARDIGAN } from '../../nodes/cardigan';
import { cardigan } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';

const TEST_NODES = path.join(__dirname, '..', 'rig', 'test-nodes.ts');

let tree: ExperimentTree;
beforeAll(async () => {
  tree = await ExperimentTree.create({});
  const plugins = `plugins: [${path.relative(tree.root, TEST_NODES)}]\n`;
  await tree.write({
    'good.yaml': `${plugins}nodes:
  data: { type: make-data }
  unet: { type: train, inputs: { train: data.train, val: data.val }, matrix: { lr: [0.1, 0.01] } }
  eval: { type: tabulate, inputs: { models: unet, test: data.val } }
`,
    'bad.yaml': `${plugins}nodes:\n  data: { type: make-dat }\n`,
  });
});
afterAll(async () => tree.remove());

describe('cardigan validate', () => {
  it('exits 0 with a one-line summary for a valid experiment', async () => {
    expect(await cardigan('validate', tree.path('good.yaml'))).toEqual({ code: 0, stdout: '4 nodes, 5 edges, ok\n', stderr: '' });
  });

  it('validates --set values like the file', async () => {
    expect((await cardigan('validate', tree.path('good.yaml'), '--set', 'unet.params.lr=0.5', '--set=data.seed=3')).code).toBe(0);
    const result = await cardigan('validate', tree.path('good.yaml'), '--set', 'unet.params.lr=-1');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--set:1:16 error: param "lr" of node "unet" must be > 0, got -1\n  1 | unet.params.lr=-1\n    |                ^~\n');
  });

  it('exits 1 and prints every diagnostic for an invalid experiment', async () => {
    const result = await cardigan('validate', tree.path('bad.yaml'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: ${tree.path('bad.yaml')} is not a valid experiment (1 error):\n\n` +
        `${tree.path('bad.yaml')}:3:17 error: unknown node type "make-dat" — did you mean "make-data"?\n` +
        '  3 |   data: { type: make-dat }\n' +
        '    |                 ^~~~~~~~\n',
    );
  });

  it('exits 2 on usage errors, saying what was expected', async () => {
    const missing = await cardigan('validate');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('error: validate: missing <experiment.yaml> (the experiment file)\nUsage: cardigan validate <experiment.yaml> [options]\n');
    const unknown = await cardigan('validate', tree.path('good.yaml'), '--sett', 'x=1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: validate: unknown option "--sett" — did you mean "--set"?');
    expect((await cardigan('validate', 'a.yaml', 'b.yaml')).code).toBe(2);
  });

  it('prints its usage with --help', async () => {
    const result = await cardigan('validate', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--set <id.params.key=value>');
  });
});

describe('cardigan graph', () => {
  it('draws the graph in the format asked for', async () => {
    const mermaid = await cardigan('graph', tree.path('good.yaml'));
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout.split('\n')[0]).toBe('flowchart LR');
    const dot = await cardigan('graph', tree.path('good.yaml'), '--format', 'dot');
    expect(dot.code).toBe(0);
    expect(dot.stdout).toContain('"unet[lr=0.1]" -> "eval" [label="model → models"];');
  });

  it('refuses an unknown format with exit code 2', async () => {
    const result = await cardigan('graph', tree.path('good.yaml'), '--format', 'dott');
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'error: graph: --format must be one of mermaid, dot, got "dott" — did you mean "dot"?\n' });
  });
});

const COMMANDS = commandTable(CARDIGAN);

describe('cardigan --help', () => {
  it('lists each command with the summary its module declares', async () => {
    const help = await cardigan('--help');
    expect(help.code).toBe(0);
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = entry.load();
      expect([command.name, command.summary]).toEqual([name, entry.summary]);
      expect(help.stdout).toMatch(new RegExp(`^  ${name} +${entry.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    }
  });
});
