import { type ExperimentGraph, topologicalOrder } from '../experiment/graph';
import type { ResourceClass } from '../node-api';

/**
 * How much a node holds up: the weight of the heaviest chain from it to the end of the graph, itself
 * included. A gpu-class node (a training, a generation, an evaluation) weighs GPU_NODE_WEIGHT, a cpu
 * node (loading, filtering, merging) one: the scheduler knows no durations, only that the first kind
 * takes minutes where the second takes seconds. Free slots go to the highest first (slots.ts), the
 * classic longest-path-first list schedule, so that the long chain — SPADE, then generate, then the
 * models trained on its images — starts first instead of waiting behind models nothing depends on.
 */
export const GPU_NODE_WEIGHT = 10;

export function criticalPriorities(graph: ExperimentGraph, resourceOf: (id: string) => ResourceClass): Map<string, number> {
  const priorities = new Map<string, number>();
  for (const id of topologicalOrder(graph).reverse()) {
    const below = graph.outNeighbors(id).reduce((most, consumer) => Math.max(most, priorities.get(consumer) ?? 0), 0);
    priorities.set(id, below + (resourceOf(id) === 'gpu' ? GPU_NODE_WEIGHT : 1));
  }
  return priorities;
}
