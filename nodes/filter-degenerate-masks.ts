import schema from '../schemas/nodes/filter-degenerate-masks.schema.json';
import { defineNode, single } from '../engine/node-api';
import type { AnatomyThresholds } from './anatomy/criteria';
import { writeFilterReport } from './anatomy/filter-report';
import { isAnatomicallyValid, type AnatomyVerdict } from './anatomy/validity';
import { readDataset, writeDataset, type Dataset } from './data/dataset-artifact';

export interface FilterDegenerateMasksParams extends AnatomyThresholds {
  examplesPerCriterion: number;
}

/**
 * Keeps the anatomically plausible masks of a dataset (the paper kept 4634 of 5000 VAE samples this
 * way) and reports how many failed each criterion, with pictures of rejected examples.
 */
export const filterDegenerateMasks = defineNode<FilterDegenerateMasksParams>({
  type: 'filter-degenerate-masks',
  version: 1,
  description: 'keep the masks that pass every anatomical criterion (holes, pieces, gaps, frontiers, width and erosion ratios)',
  paramsSchema: schema,
  inputs: { masks: { type: 'dataset', description: 'masks to filter (images, if any, are kept with their masks)' } },
  outputs: {
    masks: { type: 'dataset', description: 'the masks that passed every criterion, with their images and manifest entries' },
    report: { type: 'report', description: 'report.json (failures per criterion, per-item results), report.md, rejected-<criterion>.png' },
  },
  resource: 'cpu',
  async run(ctx, inputs, params) {
    const input = single(inputs, 'masks');
    const dataset = await readDataset(input.dir);
    const [rows, cols] = dataset.manifest.size;
    const count = dataset.manifest.items.length;
    const verdicts: AnatomyVerdict[] = [];
    for (let i = 0; i < count; i++) {
      if (ctx.signal.aborted) throw new Error('filter-degenerate-masks: cancelled');
      try {
        verdicts.push(isAnatomicallyValid(dataset.masks.subarray(i * rows * cols, (i + 1) * rows * cols), rows, cols, params));
      } catch (error) {
        throw new Error(`${input.from} (${input.dir}): mask ${i} "${dataset.manifest.items[i].id}": ${(error as Error).message}`);
      }
      if ((i + 1) % 100 === 0 || i + 1 === count) ctx.progress({ done: i + 1, total: count, unit: 'mask' });
    }
    const kept = verdicts.flatMap((verdict, i) => (verdict.valid ? [i] : []));
    await writeDataset(ctx.outputDir('masks'), subset(dataset, kept));
    await writeFilterReport(ctx.outputDir('report'), { dataset, verdicts, thresholds: params, examplesPerCriterion: params.examplesPerCriterion });
    ctx.log(`kept ${kept.length} of ${count} masks`);
  },
});

function subset(dataset: Dataset, indices: readonly number[]): Dataset {
  const [rows, cols] = dataset.manifest.size;
  const pixels = rows * cols;
  const take = <T extends Uint8Array | Float32Array>(source: T, target: T): T => {
    indices.forEach((index, k) => target.set(source.subarray(index * pixels, (index + 1) * pixels), k * pixels));
    return target;
  };
  return {
    manifest: { ...dataset.manifest, items: indices.map((index) => dataset.manifest.items[index]) },
    masks: take(dataset.masks, new Uint8Array(indices.length * pixels)),
    images: dataset.images === undefined ? undefined : take(dataset.images, new Float32Array(indices.length * pixels)),
  };
}
