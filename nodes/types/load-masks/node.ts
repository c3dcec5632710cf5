import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/load-masks.schema.json';
import type { Phase, View } from '../../data/dataset-artifact';

export interface LoadMasksParams {
  folder: string;
  view: View;
  phase: Phase;
  spacing: [number, number];
}

export const node = defineNode<LoadMasksParams>({
  type: 'load-masks',
  // 2: reads MetaImage and NIfTI (spacing from their headers), and palette PNGs as their indices.
  version: 2,
  description: 'Reads a folder of label masks (0..3; .npy, .png, .mhd/.mha, .nii/.nii.gz) into a mask-only dataset, e.g. to use Painchaud et al.\'s artificial masks.',
  paramsSchema: schema,
  inputs: {},
  outputs: {
    masks: { type: 'dataset', description: 'The masks, one item per mask in file-name order (no images, source artificial-mask).' },
  },
  resource: 'cpu',
  externalPaths: (params) => [params.folder],
  // The implementation, and what it imports, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
