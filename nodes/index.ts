import type { NodeRegistry } from '../engine/registry';
import { trainEnet } from './models/train-enet';
import { trainUnet } from './models/train-unet';
import { generate } from './spade/generate';
import { trainSpade } from './spade/train-spade';

/** Registers every built-in node type. One line per node type; keep the list sorted. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(generate);
  registry.register(trainEnet);
  registry.register(trainSpade);
  registry.register(trainUnet);
}
