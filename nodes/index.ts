import type { NodeRegistry } from '../engine/registry';
import { alignMaskDistribution } from './align-mask-distribution';
import { loadMasks } from './load-masks';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(alignMaskDistribution);
  registry.register(loadMasks);
}
