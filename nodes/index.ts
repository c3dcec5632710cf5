import type { NodeRegistry } from '../engine/registry';
import { trainEnet } from './models/train-enet';
import { trainUnet } from './models/train-unet';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(trainEnet);
  registry.register(trainUnet);
}
