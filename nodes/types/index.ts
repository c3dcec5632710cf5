import type { NodeRegistry } from '../../engine/registry';
import { alignMaskDistribution } from './align-mask-distribution/node';
import { loadCamus } from './load-camus/node';
import { evaluate } from './evaluate/node';
import { filterDegenerateMasks } from './filter-degenerate-masks/node';
import { loadMasks } from './load-masks/node';
import { sampleMasks } from './sample-masks/node';
import { trainMaskVaeNode } from './train-mask-vae/node';
import { mergeDatasets } from './merge-datasets/node';
import { trainEnet } from './train-enet/node';
import { trainUnet } from './train-unet/node';
import { generate } from './generate/node';
import { trainSpade } from './train-spade/node';
import { umapNode } from './umap/node';

/**
 * Registers every built-in node type, and the HTML report (required only when a report is written). One line per node type; keep the list sorted. Each module
 * imported here is a node type's cheap definition, which requires its implementation only when a
 * node runs (see the top of engine/node-api.ts), so that --help, validate and plan stay fast.
 */
export function registerBuiltinNodes(registry: NodeRegistry): void {
  registry.register(alignMaskDistribution);
  registry.register(evaluate);
  registry.register(filterDegenerateMasks);
  registry.register(generate);
  registry.register(loadCamus);
  registry.register(loadMasks);
  registry.register(mergeDatasets);
  registry.register(sampleMasks);
  registry.register(trainEnet);
  registry.register(trainMaskVaeNode);
  registry.register(trainSpade);
  registry.register(trainUnet);
  registry.register(umapNode);
  registry.setReportBuilder((source) => (require('../report/build-report') as typeof import('../report/build-report')).buildReport(source));
}
