import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/filter-degenerate-masks.schema.json';
import { readLineage } from '../../data/lineage-file';
import type { AnatomyThresholds } from '../../anatomy/criteria';

export interface FilterDegenerateMasksParams extends AnatomyThresholds {
  examplesPerCriterion: number;
}

/**
 * Keeps the anatomically plausible masks of a dataset (the paper kept 4634 of 5000 VAE samples this
 * way) and reports how many failed each criterion, with pictures of rejected examples.
 */
export const node = defineNode<FilterDegenerateMasksParams>({
  type: 'filter-degenerate-masks',
  // 2: rejected examples drawn by the shared montage (cardigan's mask palette, captions).
  // 3: frontier ratios measured at the reference resolution (anatomy/measures.ts), so verdicts change below 256 px.
  // 4: The manifest records the lineage of the surviving masks.
  version: 4,
  description: 'keep the masks that pass every anatomical criterion (holes, pieces, gaps, frontiers, width and erosion ratios)',
  paramsSchema: schema,
  inputs: { masks: { type: 'dataset', description: 'masks to filter (images, if any, are kept with their masks)' } },
  outputs: {
    masks: { type: 'dataset', description: 'the masks that passed every criterion, with their images and manifest entries' },
    report: { type: 'report', description: 'report.json (failures per criterion, per-item results), report.md, rejected-<criterion>.png' },
  },
  resource: 'cpu',
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation, and what it imports, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
