import type { NodeRegistry } from '../engine/registry';
import { filterDegenerateMasks } from './filter-degenerate-masks';
import { umapNode } from './umap/node';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(filterDegenerateMasks);
  registry.register(umapNode);
}
