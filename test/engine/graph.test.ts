import { loadExperiment } from '../../engine/experiment/experiment';
import { buildGraph, findCycle, topologicalOrder } from '../../engine/experiment/graph';
import { toDot, toMermaid } from '../../engine/cli/graph-render';
import { NodeRegistry } from '../../engine/registry';
import type { ResolvedNode } from '../../engine/experiment/resolved';
import { ExperimentTree } from '../rig/experiment-tree';
import { registerTestNodes } from '../rig/test-nodes';

function node(id: string, inputs: Record<string, string[]> = {}): ResolvedNode {
  const refs = Object.fromEntries(Object.entries(inputs).map(([port, ids]) => [port, ids.map((nodeId) => ({ nodeId, port: 'out' }))]));
  return { id, type: 'sum', params: {}, inputs: refs, seed: 0 };
}

describe('graph', () => {
  it('finds a cycle as a closed path in data-flow order, starting at the node that comes first', () => {
    // Edges: b → c, x → a, c → a, a → b.
    const graph = buildGraph([node('x'), node('c', { values: ['b'] }), node('a', { values: ['x', 'c'] }), node('b', { values: ['a'] })]);
    expect(findCycle(graph)).toEqual(['c', 'a', 'b', 'c']);
    expect(findCycle(buildGraph([node('s', { values: ['s'] })]))).toEqual(['s', 's']);
  });

  it('puts every node after its inputs, and finds no cycle in a DAG', () => {
    const nodes = [node('d', { values: ['b', 'c'] }), node('c', { values: ['a'] }), node('b', { values: ['a'] }), node('a')];
    const graph = buildGraph(nodes);
    expect(findCycle(graph)).toBeUndefined();
    const order = topologicalOrder(graph);
    expect(order).toHaveLength(4);
    const at = (id: string): number => order.indexOf(id);
    expect([at('a') < at('b'), at('a') < at('c'), at('b') < at('d'), at('c') < at('d')]).toEqual([true, true, true, true]);
  });

  it('merges two port connections between the same pair of nodes into one edge', () => {
    const consumer: ResolvedNode = { ...node('t'), inputs: { values: [{ nodeId: 's', port: 'out' }], offset: [{ nodeId: 's', port: 'out' }] } };
    const graph = buildGraph([node('s'), consumer]);
    expect(graph.size).toBe(1);
    expect(graph.getEdgeAttribute('s', 't', 'links')).toEqual([
      { from: 'out', to: 'values' },
      { from: 'out', to: 'offset' },
    ]);
  });
});

describe('graph rendering', () => {
  let tree: ExperimentTree;
  afterAll(async () => tree.remove());

  async function small(): Promise<Parameters<typeof toMermaid>[0]> {
    tree = await ExperimentTree.create({
      'x.yaml': `name: small
nodes:
  data: { type: make-data, label: "CAMUS \\"synthetic\\"" }
  unet: { type: train, inputs: { train: data.train, val: data.val }, matrix: { lr: [0.1, 0.01] } }
  eval: { type: tabulate, inputs: { models: unet, test: data.val } }
`,
    });
    const registry = new NodeRegistry();
    registerTestNodes(registry);
    return loadExperiment('x.yaml', { registry, cwd: tree.root });
  }

  it('draws Mermaid with matrix groups as subgraphs and ports on edges', async () => {
    expect(toMermaid(await small())).toBe(`flowchart LR
  n0["CAMUS #quot;synthetic#quot;<br/>make-data"]
  subgraph g1["unet"]
    n1["lr=0.1<br/>train"]
    n2["lr=0.01<br/>train"]
  end
  n3["eval<br/>tabulate"]
  n0 -->|"train, val"| n1
  n0 -->|"train, val"| n2
  n1 -->|"model → models"| n3
  n2 -->|"model → models"| n3
  n0 -->|"val → test"| n3
`);
  });

  it('draws Graphviz DOT with clusters and escaped labels', async () => {
    expect(toDot(await small())).toBe(`digraph "small" {
  rankdir=LR;
  node [shape=box];
  "data" [label="CAMUS \\"synthetic\\"\\nmake-data"];
  subgraph "cluster_unet" {
    label="unet";
    "unet[lr=0.1]" [label="lr=0.1\\ntrain"];
    "unet[lr=0.01]" [label="lr=0.01\\ntrain"];
  }
  "eval" [label="eval\\ntabulate"];
  "data" -> "unet[lr=0.1]" [label="train, val"];
  "data" -> "unet[lr=0.01]" [label="train, val"];
  "unet[lr=0.1]" -> "eval" [label="model → models"];
  "unet[lr=0.01]" -> "eval" [label="model → models"];
  "data" -> "eval" [label="val → test"];
}
`);
  });
});
