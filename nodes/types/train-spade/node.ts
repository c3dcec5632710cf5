import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/train-spade.schema.json';
import { readLineage } from '../../data/lineage-file';
import type { NormKind } from '../../spade/norms';
import type { SpadeOptimisation } from '../../spade/spade-task';

/** Params of train-spade (schemas/nodes/train-spade.schema.json). */
export interface TrainSpadeParams extends SpadeOptimisation {
  ngf: number;
  ndf: number;
  numD: number;
  hidden: number;
  norm: NormKind;
  spectralNorm: boolean;
  vae: boolean;
  vgg19Weights: string | null;
  epochs: number;
  samples: number;
  seed: number | null;
}

export const node = defineNode<TrainSpadeParams>({
  type: 'train-spade',
  // 2: seconds and images/s moved from log.jsonl to volatile/timings.jsonl.
  // 3: BatchNorm trains through the float64-sum batch-norm kernel on wasm and cpu (outputs change slightly).
  // 4: lineage.json beside model.json: the patients of data.
  version: 4,
  description: 'Trains SPADE (NVlabs/SPADE) to generate echocardiograms from masks; writes generator, discriminator, log and per-epoch sample grids.',
  paramsSchema: schema,
  inputs: {
    data: { type: 'dataset', role: 'train', description: 'Images with their masks to learn from (any size divisible by 32, e.g. CAMUS train+val at 256).' },
    validation: {
      type: 'dataset',
      optional: true,
      description: 'Masks (images optional) drawn in the per-epoch sample grid; without it, the first items of data.',
    },
  },
  outputs: {
    // Its weights carry the patients of `data` only: `validation` is drawn in the sample grids, never learnt from.
    model: {
      type: 'model',
      carries: ['data'],
      description:
        'Generator model.json + weights.bin, discriminator/ (and encoder/ with the VAE head), log.jsonl, samples/epoch-NNN.png, and volatile/timings.jsonl (seconds and images/s per epoch, outside the hash).',
    },
  },
  resource: 'gpu',
  externalPaths: (params) => (params.vgg19Weights === null ? [] : [params.vgg19Weights]),
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation, and tfjs with it, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
