import { promises as fs } from 'fs';
import * as path from 'path';
import { type NodeContext, type NodeInputs, single, UserError } from '../../../engine';
import { type AlignMaskDistributionParams, node } from './node';
import { outputLineage } from '../../data/lineage-file';
import { itemPixels, readDataset, writeDataset, type Dataset, type DatasetItem } from '../../data/dataset-artifact';
import { mulberry32 } from '../../data/random';
import { alignMask, reshapeFactors } from '../../masks/alignment';
import { compareStatistics, comparisonMarkdown, histogramFigure } from '../../masks/alignment-report';
import type { LabelMask } from '../../data/label-mask';
import { maskPose, type MaskPose } from '../../masks/pose';
import { fitPoseDistribution, samplePose, type TargetPose } from '../../masks/pose-sampler';
import { maskStatistics } from '../../masks/statistics';
import { renderChart } from '../../plot/render';

const HISTOGRAM_COLUMNS = 3;

/** Resamples a reference pose for every mask and warps the mask to it; writes the aligned masks and the report. */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: AlignMaskDistributionParams): Promise<void> {
  const masksInput = single(inputs, 'masks');
  const referenceInput = single(inputs, 'reference');
  const [masks, reference] = await Promise.all([readDataset(masksInput.dir), readDataset(referenceInput.dir)]);
  const size = reference.manifest.size;

  const donors = referencePoses(ctx, reference, referenceInput.from);
  const distribution = fitPoseDistribution(
    donors.map((d) => d.pose),
    size,
  );
  const random = mulberry32(ctx.seed);
  const total = masks.manifest.items.length;
  const aligned = new Uint8Array(total * size[0] * size[1]);
  const items: DatasetItem[] = [];
  const targets: Array<TargetPose & { id: string; donorId: string }> = [];
  for (const [index, item] of masks.manifest.items.entries()) {
    if (ctx.signal.aborted) throw new Error('align-mask-distribution: interrupted');
    const mask = asLabelMask(masks, index);
    const pose = maskPose(mask);
    if ('missing' in pose) {
      throw new UserError(
        `${masksInput.from}: mask "${item.id}" has no ${pose.missing}, so it has no pose to align; filter the masks first (filter-degenerate-masks)`,
      );
    }
    const target = samplePose(distribution, params.jitter, random);
    const donor = donors[target.donor].item;
    const result = alignMask(mask, pose, target, size, reshapeFactors(pose, target, params.maxReshape));
    aligned.set(result.data, index * size[0] * size[1]);
    items.push({
      ...item,
      source: 'artificial-mask',
      nativeSize: donor.nativeSize,
      spacing: donor.spacing,
      nativeSpacing: donor.nativeSpacing,
      extra: { ...item.extra, poseDonor: donor.id },
    });
    targets.push({ id: item.id, donorId: donor.id, ...target });
    if ((index + 1) % 100 === 0 || index + 1 === total) ctx.progress({ done: index + 1, total, unit: 'mask' });
  }
  const output: Dataset = {
    manifest: { format: 'cardigan-dataset/1', size, hasImages: false, items, lineage: await outputLineage(node, 'masks', inputs) },
    masks: aligned,
  };
  await writeDataset(ctx.outputDir('masks'), output);
  await writeReport(ctx, params, { reference, before: masks, after: output, referenceFrom: referenceInput.from, masksFrom: masksInput.from, targets });
}

interface Donor {
  item: DatasetItem;
  pose: MaskPose;
}

/** Reference masks that have every structure give the poses to resample; the others are skipped and counted. */
function referencePoses(ctx: NodeContext, reference: Dataset, from: string): Donor[] {
  const donors: Donor[] = [];
  for (const [index, item] of reference.manifest.items.entries()) {
    const pose = maskPose(asLabelMask(reference, index));
    if (!('missing' in pose) && pose.laArea > 0) donors.push({ item, pose });
  }
  const skipped = reference.manifest.items.length - donors.length;
  if (donors.length === 0) {
    throw new UserError(
      `${from}: no reference mask has an LV, a myocardium and an LA, so there is no pose distribution to match; connect a dataset with masks (e.g. CAMUS train)`,
    );
  }
  if (skipped > 0)
    ctx.log(`${skipped} of ${reference.manifest.items.length} reference masks lack the LV, myocardium or LA and were left out of the pose distribution`);
  return donors;
}

function asLabelMask(dataset: Dataset, index: number): LabelMask {
  const [height, width] = dataset.manifest.size;
  return { height, width, data: itemPixels(dataset, index).mask };
}

function allStatistics(dataset: Dataset): ReturnType<typeof maskStatistics>[] {
  return dataset.manifest.items.map((_, index) => maskStatistics(asLabelMask(dataset, index)));
}

async function writeReport(
  ctx: NodeContext,
  params: AlignMaskDistributionParams,
  data: { reference: Dataset; before: Dataset; after: Dataset; referenceFrom: string; masksFrom: string; targets: unknown[] },
): Promise<void> {
  const dir = ctx.outputDir('report');
  const [reference, before, after] = [allStatistics(data.reference), allStatistics(data.before), allStatistics(data.after)];
  const statistics = compareStatistics(reference, before, after);
  const json = {
    reference: { from: data.referenceFrom, count: reference.length, size: data.reference.manifest.size },
    masks: { from: data.masksFrom, count: before.length, size: data.before.manifest.size },
    params,
    statistics,
  };
  const header = [
    '# Mask distribution alignment',
    '',
    `${before.length} masks from \`${data.masksFrom}\` (${data.before.manifest.size.join('×')}) aligned to the pose and shape distribution of ${reference.length} masks from \`${data.referenceFrom}\` (${data.reference.manifest.size.join('×')}).`,
    "Distances are to the reference sample, in each statistic's units (positions and lengths are fractions of the image size).",
  ].join('\n');
  const figure = await renderChart(histogramFigure({ reference, before, after }, { bins: params.bins, columns: HISTOGRAM_COLUMNS }));
  await Promise.all([
    fs.writeFile(path.join(dir, 'alignment.json'), JSON.stringify(json, null, 1) + '\n'),
    fs.writeFile(path.join(dir, 'alignment.md'), comparisonMarkdown(statistics, HISTOGRAM_COLUMNS, header)),
    fs.writeFile(path.join(dir, 'histograms.png'), figure.png),
    fs.writeFile(path.join(dir, 'histograms.svg'), figure.svg),
    fs.writeFile(path.join(dir, 'targets.json'), JSON.stringify(data.targets, null, 1) + '\n'),
  ]);
}
