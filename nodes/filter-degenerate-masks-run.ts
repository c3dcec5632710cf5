import { type NodeContext, type NodeInputs, single } from '../engine/node-api';
import { writeFilterReport } from './anatomy/filter-report';
import { isAnatomicallyValid, type AnatomyVerdict } from './anatomy/validity';
import { readDataset, writeDataset, type Dataset } from './data/dataset-artifact';
import type { FilterDegenerateMasksParams } from './filter-degenerate-masks';

/** Checks every mask against the anatomical criteria, writes the survivors and the report. */
export async function runFilterDegenerateMasks(ctx: NodeContext, inputs: NodeInputs, params: FilterDegenerateMasksParams): Promise<void> {
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
}

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
