import type { NodeRegistry } from '../engine/registry';
import { alignMaskDistribution } from './align-mask-distribution';
import { filterDegenerateMasks } from './filter-degenerate-masks';
import { loadMasks } from './load-masks';
import { sampleMasks } from './mask-vae/sample-masks';
import { trainMaskVaeNode } from './mask-vae/train-mask-vae';
import { trainEnet } from './models/train-enet';
import { trainUnet } from './models/train-unet';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(alignMaskDistribution);
  registry.register(filterDegenerateMasks);
  registry.register(loadMasks);
  registry.register(sampleMasks);
  registry.register(trainEnet);
  registry.register(trainMaskVaeNode);
  registry.register(trainUnet);
}
