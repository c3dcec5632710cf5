import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/load-camus.schema.json';
import { readLineage } from '../../data/lineage-file';
import type { Phase, View } from '../../data/dataset-artifact';
import type { ImageQuality } from '../../camus/cfg';
import { type CamusSource, chooseCamusSource, describeCamusSource } from '../../camus/camus-source';
import type { SplitSpec } from '../../camus/split';

/**
 * `load-camus`: CAMUS as dataset artifacts. Reads either release (detected from the folder) or
 * generates a synthetic cohort into the node's scratch folder and reads it through the same readers,
 * so the synthetic path exercises exactly the code real data goes through.
 */

export type { EnvSource, SyntheticSource } from '../../camus/camus-source';

/** load-camus's params, every one filled in by its schema's defaults before the node runs. */
export interface LoadCamusParams {
  source: CamusSource;
  views: View[];
  phases: Phase[];
  size: number;
  split: SplitSpec;
  quality: ImageQuality[];
}

export const node = defineNode<LoadCamusParams>({
  type: 'load-camus',
  // 2: the synthetic generator draws adult-sized hearts (deeper fans, longer and wider LVs: biplane
  // EDV about 35–190 mL instead of 13–76 mL), so a synthetic source gives other images and masks.
  // 3: every manifest records its patients as lineage (cohort camus or synthetic:<seed>).
  version: 3,
  description: 'CAMUS (either release, or a synthetic cohort) as train/val/test/trainval datasets of images in 0..1 and masks 0..3, plus a PNG preview',
  paramsSchema: schema,
  inputs: {},
  outputs: {
    // `split`: which patients each output holds, for the leakage check (engine/experiment/leakage.ts).
    train: { type: 'dataset', description: 'training patients', split: ['train'] },
    val: { type: 'dataset', description: 'validation patients', split: ['validation'] },
    test: { type: 'dataset', description: 'test patients', split: ['test'] },
    trainval: { type: 'dataset', description: 'training and validation patients together (each item keeps its split)', split: ['train', 'validation'] },
    preview: { type: 'report', description: 'preview.png: mask | image | overlay for a few items' },
  },
  resource: 'cpu',
  // A release on disk joins the key by its content fingerprint; a synthetic cohort is all in the params.
  // `{env: CAMUS_ROOT}` gives `$CAMUS_ROOT` when the variable is set: the key holds its name, never its value.
  externalPaths: (params) => {
    const chosen = chooseCamusSource(params.source ?? { synthetic: {} });
    return typeof chosen === 'string' ? [chosen] : [];
  },
  explain: (params) => [describeCamusSource(params.source ?? { synthetic: {} })],
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation, and what it imports, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
