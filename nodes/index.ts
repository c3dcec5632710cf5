import type { NodeRegistry } from '../engine/registry';
import { alignMaskDistribution } from './align-mask-distribution';
import { filterDegenerateMasks } from './filter-degenerate-masks';
import { loadMasks } from './load-masks';
import { trainEnet } from './models/train-enet';
import { trainUnet } from './models/train-unet';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(alignMaskDistribution);
  registry.register(filterDegenerateMasks);
  registry.register(loadMasks);
  registry.register(trainEnet);
  registry.register(trainUnet);
}
