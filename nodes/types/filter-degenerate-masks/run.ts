import { type NodeContext, type NodeInputs, single } from '../../../engine';
import { writeFilterReport } from '../../anatomy/filter-report';
import { isAnatomicallyValid, type AnatomyVerdict } from '../../anatomy/validity';
import { gatherItems, readDataset, withLineage, writeDataset } from '../../data/dataset-artifact';
import { restrictHeld } from '../../data/lineage';
import { outputLineage } from '../../data/lineage-file';
import { type FilterDegenerateMasksParams, node } from './node';

/** Checks every mask against the anatomical criteria, writes the survivors and the report. */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: FilterDegenerateMasksParams): Promise<void> {
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
  const survivors = gatherItems([{ dataset, indices: kept }]);
  // The patients of rejected masks are not behind the output: only the survivors' are.
  const lineage = restrictHeld(await outputLineage(node, 'masks', inputs), new Set(survivors.manifest.items.map((item) => item.patient)));
  await writeDataset(ctx.outputDir('masks'), withLineage(survivors, lineage));
  await writeFilterReport(ctx.outputDir('report'), { dataset, verdicts, thresholds: params, examplesPerCriterion: params.examplesPerCriterion });
  ctx.log(`kept ${kept.length} of ${count} masks`);
}
