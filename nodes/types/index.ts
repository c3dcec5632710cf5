import type { NodeRegistry, NodeType } from '../../engine';
import { node as alignMaskDistribution } from './align-mask-distribution/node';
import { node as evaluate } from './evaluate/node';
import { node as filterDegenerateMasks } from './filter-degenerate-masks/node';
import { node as generate } from './generate/node';
import { node as loadCamus } from './load-camus/node';
import { node as loadMasks } from './load-masks/node';
import { node as mergeDatasets } from './merge-datasets/node';
import { node as sampleMasks } from './sample-masks/node';
import { node as trainEnet } from './train-enet/node';
import { node as trainMaskVae } from './train-mask-vae/node';
import { node as trainSpade } from './train-spade/node';
import { node as trainUnet } from './train-unet/node';
import { node as umap } from './umap/node';

/**
 * Every built-in node type, one folder each, named as in experiment files: `<type>/node.ts` is the cheap
 * definition (it requires `<type>/run.ts`, the implementation, only when a node runs; see the top of
 * engine/node-api.ts), so that --help, validate and plan stay fast. One line per type, sorted.
 */
export const BUILTIN_NODE_TYPES: ReadonlyArray<NodeType<never>> = [
  alignMaskDistribution,
  evaluate,
  filterDegenerateMasks,
  generate,
  loadCamus,
  loadMasks,
  mergeDatasets,
  sampleMasks,
  trainEnet,
  trainMaskVae,
  trainSpade,
  trainUnet,
  umap,
];

/** Registers every built-in node type. */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  for (const node of BUILTIN_NODE_TYPES) registry.register<never>(node);
}
