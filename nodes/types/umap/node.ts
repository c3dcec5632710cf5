import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/umap.schema.json';
import type { FeatureKind } from '../../umap/features';

export interface UmapParams {
  features: FeatureKind | 'both';
  downsample: number;
  nComponents: 2 | 3;
  nNeighbors: number;
  minDist: number;
  nEpochs?: number;
  sample: number;
  k: number;
  reference?: string;
  labels?: Record<string, string>;
  seed?: number;
}

/** What `embedding.json` at the top of the output says: where each embedding lives, and of what. */
export interface EmbeddingManifest {
  format: 'cardigan-embedding/1';
  /** One sub-folder per feature kind, named after it. */
  features: FeatureKind[];
  nComponents: number;
  reference: string;
  seed: number;
  datasets: { label: string; from: string; items: number; sampled: number }[];
}

export const node = defineNode<UmapParams>({
  type: 'umap',
  version: 1,
  description:
    'UMAP of two or more datasets fitted on their union, with k-NN precision/recall/density/coverage against a reference dataset and the trustworthiness of the embedding.',
  paramsSchema: schema,
  inputs: {
    datasets: {
      type: 'dataset',
      multiple: true,
      description: 'Datasets to embed together, e.g. [camus.train, camusx.dataset]; the first is the reference unless params.reference says otherwise.',
    },
  },
  outputs: {
    embedding: {
      type: 'embedding',
      description: 'embedding.json, and per feature kind: coordinates (CSV, .npy), labels.csv, gap-metrics.json, scatter (SVG, PNG).',
    },
  },
  resource: 'cpu',
  // The implementation, and what it imports (umap-js, vega), loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
