import type { NodeRegistry } from '../engine/registry';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  void registry;
}
