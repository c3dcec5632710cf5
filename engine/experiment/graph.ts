import { DirectedGraph } from 'graphology';
import { hasCycle, topologicalSort } from 'graphology-dag';
import type { ResolvedNode } from './resolved';

/**
 * The experiment as a graphology DAG: one graph node per resolved node, one edge per producer →
 * consumer pair (its attributes list the port connections it carries). The loader checks it for
 * cycles and orders nodes by it; selection (`--from`, `--until`) and the scheduler walk it.
 */

export interface PortLink {
  /** Output port of the producer. */
  from: string;
  /** Input port of the consumer. */
  to: string;
}

export interface NodeAttributes {
  node: ResolvedNode;
}

export interface EdgeAttributes {
  links: PortLink[];
}

export type ExperimentGraph = DirectedGraph<NodeAttributes, EdgeAttributes>;

/** Nodes are added in the order given, which makes the topological order stable. */
export function buildGraph(nodes: readonly ResolvedNode[]): ExperimentGraph {
  const graph: ExperimentGraph = new DirectedGraph();
  for (const node of nodes) graph.addNode(node.id, { node });
  for (const node of nodes) {
    for (const [port, refs] of Object.entries(node.inputs)) {
      for (const ref of refs) {
        if (!graph.hasNode(ref.nodeId)) continue;
        const link = { from: ref.port, to: port };
        if (graph.hasEdge(ref.nodeId, node.id)) graph.getEdgeAttribute(ref.nodeId, node.id, 'links').push(link);
        else graph.addDirectedEdge(ref.nodeId, node.id, { links: [link] });
      }
    }
  }
  return graph;
}

/**
 * One cycle as a closed path in data-flow order (`a → b → c → a`), starting at the node that comes
 * first in the graph's order; undefined for a DAG.
 */
export function findCycle(graph: ExperimentGraph): string[] | undefined {
  if (!hasCycle(graph)) return undefined;
  const order = new Map(graph.nodes().map((id, i) => [id, i]));
  const state = new Map<string, 'open' | 'done'>();
  for (const root of graph.nodes()) {
    if (state.has(root)) continue;
    // Iterative depth-first search; the stack of open nodes is the current path.
    const path: string[] = [root];
    const pending: string[][] = [graph.outNeighbors(root)];
    state.set(root, 'open');
    while (path.length > 0) {
      const next = pending[pending.length - 1].shift();
      if (next === undefined) {
        state.set(path.pop() as string, 'done');
        pending.pop();
        continue;
      }
      if (state.get(next) === 'open') {
        const cycle = path.slice(path.indexOf(next));
        const start = cycle.reduce((best, id, i) => ((order.get(id) ?? 0) < (order.get(cycle[best]) ?? 0) ? i : best), 0);
        const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
        return [...rotated, rotated[0]];
      }
      if (state.has(next)) continue;
      state.set(next, 'open');
      path.push(next);
      pending.push(graph.outNeighbors(next));
    }
  }
  return undefined;
}

/**
 * Every node after all of its inputs (Kahn's algorithm, which visits ready nodes in the graph's order):
 * the same file always gives the same order.
 */
export function topologicalOrder(graph: ExperimentGraph): string[] {
  return topologicalSort(graph);
}

/** The nodes a node reads from, each once. */
export function producers(graph: ExperimentGraph, id: string): string[] {
  return graph.inNeighbors(id);
}

/** The given nodes and everything they (transitively) read from. */
export function withAncestors(graph: ExperimentGraph, ids: Iterable<string>): Set<string> {
  return closure(ids, (id) => graph.inNeighbors(id));
}

/** The given nodes and everything that (transitively) reads from them. */
export function withDescendants(graph: ExperimentGraph, ids: Iterable<string>): Set<string> {
  return closure(ids, (id) => graph.outNeighbors(id));
}

function closure(ids: Iterable<string>, next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}
