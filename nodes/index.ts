import type { NodeRegistry } from '../engine/registry';
import { loadCamus } from './camus/load-camus';
import { mergeDatasets } from './merge-datasets';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(loadCamus);
  registry.register(mergeDatasets);
}
