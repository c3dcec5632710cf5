import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/generate.schema.json';
import { readLineage } from '../../data/lineage-file';

/** Params of generate (schemas/nodes/generate.schema.json). */
export interface GenerateParams {
  batchSize: number;
  styles: 'random' | 'images';
  previewCount: number;
  seed: number | null;
}

export const PREVIEW_FILE = 'preview.png';

export const node = defineNode<GenerateParams>({
  type: 'generate',
  // 2: The manifest records the lineage of the masks, the styles and the model's training data.
  version: 2,
  description: "Generates an echocardiogram for every mask of a dataset with a train-spade model (CAMUSx's images).",
  paramsSchema: schema,
  inputs: {
    model: { type: 'model', description: "A train-spade node's model output." },
    masks: {
      type: 'dataset',
      description: 'Masks to generate images for, at the size the model was trained at; their images, if any, are only shown in the preview.',
    },
    styles: { type: 'dataset', optional: true, description: 'Style images for a model trained with the VAE head (params.styles: images).' },
  },
  outputs: {
    dataset: { type: 'dataset', description: 'The masks with generated images (source "generated", provenance in each item\'s extra).' },
    preview: { type: 'report', description: `${PREVIEW_FILE}: mask | real (when there is one) | generated for the first masks.` },
  },
  resource: 'gpu',
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation, and tfjs with it, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
