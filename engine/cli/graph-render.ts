import type { ExperimentGraph } from '../experiment/graph';
import { buildGraph } from '../experiment/graph';
import type { ResolvedExperiment, ResolvedNode } from '../experiment/resolved';

/**
 * `cardigan graph`: the experiment DAG as Mermaid or Graphviz DOT text. Matrix groups are drawn as a
 * box around their nodes, each node labelled by its matrix values; edges carry their port names
 * (`out → in` when the names differ).
 */

export type GraphFormat = 'mermaid' | 'dot';

export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

/** Nodes in experiment order, each matrix group gathered where its first node appears. */
type LayoutItem = { kind: 'group'; group: string; nodes: ResolvedNode[] } | { kind: 'node'; node: ResolvedNode };

function layout(experiment: ResolvedExperiment): LayoutItem[] {
  const items: LayoutItem[] = [];
  const groups = new Map<string, ResolvedNode[]>();
  for (const node of experiment.nodes) {
    if (node.group === undefined) {
      items.push({ kind: 'node', node });
      continue;
    }
    let members = groups.get(node.group);
    if (members === undefined) {
      members = [];
      groups.set(node.group, members);
      items.push({ kind: 'group', group: node.group, nodes: members });
    }
    members.push(node);
  }
  return items;
}

/** Lines of a node's label: its name (the matrix values inside a group), then its type. */
function labelLines(node: ResolvedNode): string[] {
  const name = node.matrix === undefined ? [node.id] : Object.entries(node.matrix).map(([key, value]) => `${key}=${value}`);
  return [...(node.label === undefined ? name : [node.label]), node.type];
}

function edgeLabel(graph: ExperimentGraph, edge: string): string {
  return graph
    .getEdgeAttribute(edge, 'links')
    .map((link) => (link.from === link.to ? link.from : `${link.from} → ${link.to}`))
    .join(', ');
}

export function renderGraph(experiment: ResolvedExperiment, format: GraphFormat): string {
  return format === 'mermaid' ? toMermaid(experiment) : toDot(experiment);
}

export function toMermaid(experiment: ResolvedExperiment): string {
  const graph = buildGraph(experiment.nodes);
  // Mermaid ids cannot hold brackets or dots: number the nodes and groups.
  const ids = new Map(experiment.nodes.map((node, i) => [node.id, `n${i}`]));
  const quoted = (text: string): string => text.replace(/"/g, '#quot;');
  const node = (n: ResolvedNode, indent: string): string => `${indent}${ids.get(n.id)}["${labelLines(n).map(quoted).join('<br/>')}"]`;
  const lines = ['flowchart LR'];
  layout(experiment).forEach((item, g) => {
    if (item.kind === 'group') {
      lines.push(`  subgraph g${g}["${quoted(item.group)}"]`, ...item.nodes.map((n) => node(n, '    ')), '  end');
    } else {
      lines.push(node(item.node, '  '));
    }
  });
  graph.forEachEdge((edge, _attributes, source, target) => {
    lines.push(`  ${ids.get(source)} -->|"${quoted(edgeLabel(graph, edge))}"| ${ids.get(target)}`);
  });
  return lines.join('\n') + '\n';
}

export function toDot(experiment: ResolvedExperiment): string {
  const graph = buildGraph(experiment.nodes);
  const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const node = (n: ResolvedNode, indent: string): string => `${indent}${quote(n.id)} [label=${quote(labelLines(n).join('\n')).replace(/\n/g, '\\n')}];`;
  const lines = [`digraph ${quote(experiment.name)} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const item of layout(experiment)) {
    if (item.kind === 'group') {
      lines.push(`  subgraph ${quote(`cluster_${item.group}`)} {`, `    label=${quote(item.group)};`, ...item.nodes.map((n) => node(n, '    ')), '  }');
    } else {
      lines.push(node(item.node, '  '));
    }
  }
  graph.forEachEdge((edge, _attributes, source, target) => {
    lines.push(`  ${quote(source)} -> ${quote(target)} [label=${quote(edgeLabel(graph, edge))}];`);
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}
