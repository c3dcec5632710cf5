import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/load-masks.schema.json';
import { readLineage } from '../../data/lineage-file';
import type { Phase, View } from '../../data/dataset-artifact';

export interface LoadMasksParams {
  folder: string;
  view: View;
  phase: Phase;
  spacing: [number, number];
  /** Whose patients the masks are (lineage); null: CAMUS-named masks are real CAMUS patients'. */
  cohort: string | null;
}

export const node = defineNode<LoadMasksParams>({
  type: 'load-masks',
  // 2: reads MetaImage and NIfTI (spacing from their headers), and palette PNGs as their indices.
  // 3: The manifest records lineage; the cohort param says whose patients the masks are.
  version: 3,
  description:
    "Reads a folder of label masks (0..3; .npy, .png, .mhd/.mha, .nii/.nii.gz) into a mask-only dataset, e.g. to use Painchaud et al.'s artificial masks.",
  paramsSchema: schema,
  inputs: {},
  outputs: {
    masks: { type: 'dataset', description: 'The masks, one item per mask in file-name order (no images, source artificial-mask).' },
  },
  resource: 'cpu',
  externalPaths: (params) => [params.folder],
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation, and what it imports, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
