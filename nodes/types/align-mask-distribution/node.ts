import { defineNode, lazyRun } from '../../../engine';
import schema from '../../../schemas/nodes/align-mask-distribution.schema.json';
import { readLineage } from '../../data/lineage-file';

export interface AlignMaskDistributionParams {
  jitter: number;
  maxReshape: number;
  bins: number;
}

export const node = defineNode<AlignMaskDistributionParams>({
  type: 'align-mask-distribution',
  // 2: histograms drawn by the chart module (titled panels, axes, legend; also as SVG).
  // 3: The aligned masks' manifest records their lineage (the patients behind the masks and the reference).
  version: 3,
  description:
    "Warps masks into the reference images' geometry, each to a pose and shape resampled from the reference (smoothed bootstrap), so that centroid, angle, area, LV/LA ratio and bounding box follow the reference distribution (paper annex F).",
  paramsSchema: schema,
  inputs: {
    masks: { type: 'dataset', description: 'Masks to align, in the registered space or any other; images are ignored.' },
    reference: { type: 'dataset', description: 'Dataset whose mask poses and shapes to match, e.g. CAMUS train, in image geometry.' },
  },
  outputs: {
    masks: {
      type: 'dataset',
      description: 'Aligned masks at the reference image size (no images); extra.poseDonor names the reference item whose pose was resampled.',
    },
    report: {
      type: 'report',
      description:
        'alignment.json and alignment.md (Wasserstein and KS distance of each statistic to the reference, before and after), histograms.png and .svg (the annex F figure), targets.json.',
    },
  },
  resource: 'cpu',
  // Lineage is read back from the manifest or lineage.json, for the run-time leakage check (engine/node-api.ts).
  readLineage,
  // The implementation, and what it imports, loads when a node of this type runs (engine/node-api.ts).
  run: lazyRun(() => require('./run')),
});
