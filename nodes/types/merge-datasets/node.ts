import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/merge-datasets.schema.json';
import { readLineage } from '../../data/lineage-file';

/**
 * `merge-datasets`: fan-in of dataset artifacts into one, optionally keeping only part of some inputs
 * (dataset-size ablations). See schemas/nodes/merge-datasets.schema.json for the params.
 */

export interface Take {
  limit?: number;
  fraction?: number;
}

export interface MergeDatasetsParams {
  take?: Record<string, Take>;
  unit?: 'item' | 'patient';
}

export const node = defineNode<MergeDatasetsParams>({
  type: 'merge-datasets',
  // 2: The manifest records the lineage of the kept items and what their models learnt from.
  version: 2,
  description: 'concatenates datasets (e.g. CAMUS + CAMUSx), keeping ids unique and sources recorded, with optional per-input subsets for size ablations',
  paramsSchema: schema,
  inputs: { datasets: { type: 'dataset', multiple: true, description: 'the datasets to concatenate, in order' } },
  outputs: { dataset: { type: 'dataset', description: 'all kept items of every input' } },
  resource: 'cpu',
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation, and what it imports, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
