import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/evaluate.schema.json';
import type { RowSpec } from '../../evaluate/row-labels';
import type { Hausdorff, Protocol, Resolution } from '../../evaluate/model-summary';

export interface EvaluateParams {
  protocol: Protocol;
  resolution: Resolution;
  rows: Record<string, RowSpec>;
  hausdorff: Hausdorff;
  clinical: boolean;
  batchSize: number;
  examples: number;
}

export const node = defineNode<EvaluateParams>({
  type: 'evaluate',
  // 2: paper names on rows, rows over seeds, paired tests. 3: the anatomical validity column measures
  // frontier ratios at the reference resolution (anatomy/measures.ts). 4: clinical indices
  // (clinical.csv, summary.json's clinical, a table in table1.md); Table 1 per view, with LA, MAD and
  // the HD95 option; HD95 and MAD in per-image.csv.
  version: 4,
  description:
    "Segments a test set with one or more models and writes per-image Dice/HD/ASSD, a summary, the paper's Table 1 beside ours (per phase and view) and the clinical indices (EDV, ESV, EF) against the ground truth's.",
  paramsSchema: schema,
  inputs: {
    models: {
      type: 'model',
      multiple: true,
      description: 'Segmentation models (train-unet / train-enet outputs), e.g. a matrix group; each is labelled by its node id.',
    },
    test: { type: 'dataset', role: 'evaluate', description: 'Images and ground-truth masks to score on (a generated dataset for the spade protocol).' },
  },
  outputs: {
    metrics: {
      type: 'metrics',
      description:
        "per-image.csv, clinical.csv (EDV, ESV, EF per patient by Simpson's biplane), summary.json, table1.md, table1.csv (rows over seeds where models differ only by seed), paired-tests.md/.csv (each training set against CAMUS, Wilcoxon signed-rank by test image), examples.png, predictions/<model>/<item>.png and ground-truth/<item>.png.",
    },
  },
  resource: 'gpu',
  cosmeticParams: ['batchSize'],
  // The implementation, and what it imports (tfjs, the metrics), loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
