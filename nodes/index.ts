import type { NodeRegistry } from '../engine/registry';
import { umapNode } from './umap/node';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(umapNode);
}
