import * as path from 'path';
import { cycles, groupGraph, importGraph } from '../rig/import-graph';
import { ExperimentTree } from '../rig/experiment-tree';

const root = path.resolve(__dirname, '..', '..');
const graph = importGraph(root, ['engine', 'nodes']);

/**
 * The room a file lives in: an engine subfolder, the engine's top (shared by every room), a node type,
 * a nodes/ library. engine/index.ts gathers from every room, so it stands alone.
 */
function room(file: string): string {
  if (file === path.join('engine', 'index.ts')) return file;
  const parts = file.split(path.sep);
  if (parts[0] === 'engine') return parts.length > 2 ? `engine/${parts[1]}` : 'engine';
  if (parts[1] === 'types' && parts.length > 3) return `nodes/types/${parts[2]}`;
  return parts.length > 2 ? `nodes/${parts[1]}` : file;
}

/** What nodes/ may import from the engine: its public surfaces. */
const ENGINE_SURFACES = ['engine/index.ts', 'engine/compute/index.ts', 'engine/cli/index.ts', 'engine/cli/reporting.ts'];

function edges(keep: (from: string, to: string) => boolean): string[] {
  return [...graph].flatMap(([from, imports]) => [...imports].filter((to) => keep(from, to)).map((to) => `${from} -> ${to}`));
}

test('the import graph covers the sources (the checks below look at real files)', () => {
  expect(graph.get('nodes/cardigan.ts')).toEqual(new Set(['engine/cli/index.ts']));
  expect(graph.get(path.join('nodes', 'types', 'train-unet', 'run.ts'))?.size).toBeGreaterThan(2);
});

test('engine/ never imports nodes/', () => {
  expect(edges((from, to) => from.startsWith('engine') && to.startsWith('nodes'))).toEqual([]);
});

test('nodes/ reach the engine only through its public surfaces', () => {
  expect(edges((from, to) => from.startsWith('nodes') && to.startsWith('engine') && !ENGINE_SURFACES.includes(to))).toEqual([]);
});

test('no import cycle between files', () => {
  expect(cycles(graph)).toEqual([]);
});

test('no import cycle between rooms (engine subfolders, node types, nodes/ libraries)', () => {
  expect(cycles(groupGraph(graph, room))).toEqual([]);
});

test('each engine room imports only the rooms below it (as its main file says)', () => {
  const order = ['engine', 'engine/experiment', 'engine/keys', 'engine/cache', 'engine/compute', 'engine/run', 'engine/claims', 'engine/cli'];
  const below = (from: string, to: string): boolean => {
    if (from === 'engine/compute') return to === 'engine';
    return order.indexOf(to) < order.indexOf(from);
  };
  const rooms = groupGraph(new Map([...graph].filter(([file]) => file.startsWith('engine') && file !== path.join('engine', 'index.ts'))), room);
  const upward = [...rooms].flatMap(([from, targets]) => [...targets].filter((to) => !below(from, to)).map((to) => `${from} -> ${to}`));
  expect(upward).toEqual([]);
});

describe('the checks find what they look for', () => {
  it('reports a two-file cycle, type-only imports included, and ignores lazy require()', async () => {
    const tree = await ExperimentTree.create({
      'src/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'src/b.ts': "import type { A } from './c/index';\nexport const b = 1;\nexport type B = A;\n",
      'src/c/index.ts': "export type { a as A } from '../a';\nexport const lazy = () => require('../d');\n",
      'src/d.ts': "import { a } from './a';\nexport const d = a;\n",
    });
    try {
      const planted = importGraph(tree.path('.'), ['src']);
      expect(cycles(planted)).toEqual([[path.join('src', 'a.ts'), path.join('src', 'b.ts'), path.join('src', 'c', 'index.ts')]]);
      expect(cycles(groupGraph(planted, (file) => file.split(path.sep).slice(0, 2).join('/')))).toEqual([['src/a.ts', 'src/b.ts', 'src/c']]);
    } finally {
      await tree.remove();
    }
  });
});
