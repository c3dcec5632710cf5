import type { NodeRegistry } from '../engine/registry';
import { alignMaskDistribution } from './align-mask-distribution';
import { loadCamus } from './camus/load-camus';
import { evaluate } from './evaluate/node';
import { filterDegenerateMasks } from './filter-degenerate-masks';
import { loadMasks } from './load-masks';
import { sampleMasks } from './mask-vae/sample-masks';
import { trainMaskVaeNode } from './mask-vae/train-mask-vae';
import { mergeDatasets } from './merge-datasets';
import { trainEnet } from './models/train-enet';
import { trainUnet } from './models/train-unet';
import { generate } from './spade/generate';
import { trainSpade } from './spade/train-spade';
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
  registry.setReportBuilder((source) => (require('./report/build-report') as typeof import('./report/build-report')).buildReport(source));
}
