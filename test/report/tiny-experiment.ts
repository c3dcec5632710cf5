import * as path from 'path';
import { ExperimentTree } from '../rig/experiment-tree';

/**
 * The tiny experiment the report tests run: two cohorts of heart masks (one with degenerate masks,
 * filtered by the real filter node), a "U-Net" trained on each (matrix), Table 1 from both, and the
 * real umap node on the real vs the filtered artificial masks. Test-only node types come from
 * test/rig/report-nodes.ts as a plugin; the whole run takes a few seconds.
 */
export const REPORT_NODES = path.resolve(__dirname, '../rig/report-nodes.ts');

export function tinyExperimentYaml(pluginPath: string): string {
  return `# A tiny stand-in for the paper's pipeline (report tests)
name: tiny-paper
description: Heart masks, a filter, two trainings, Table 1 and a UMAP — small enough to run in seconds.
seed: 7
plugins: [${JSON.stringify(pluginPath)}]
nodes:
  camus: { type: t-cohort, params: { count: 24 } }
  vae: { type: t-cohort, params: { count: 28, jitter: 0.6, degenerate: 0.25, source: generated } }
  camusx: { type: filter-degenerate-masks, inputs: { masks: vae.dataset }, params: { examplesPerCriterion: 4 } }
  unet:
    type: t-train
    matrix: { train: [camus.dataset, camusx.masks] }
    params: { epochs: 12 }
  table1: { type: t-evaluate, inputs: { models: unet, test: camus.dataset } }
  gap:
    type: umap
    inputs: { datasets: [camus.dataset, camusx.masks] }
    params: { features: masks, downsample: 8, nComponents: 3, nNeighbors: 8, sample: 40, k: 3, nEpochs: 150 }
`;
}

export async function writeTinyExperiment(): Promise<{ tree: ExperimentTree; file: string; cache: string }> {
  const tree = await ExperimentTree.create({});
  await tree.write({ 'tiny.yaml': tinyExperimentYaml(path.relative(tree.root, REPORT_NODES)) });
  return { tree, file: tree.path('tiny.yaml'), cache: tree.path('cache') };
}
