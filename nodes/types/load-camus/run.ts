import { promises as fs } from 'fs';
import * as path from 'path';
import { type NodeContext, type NodeInputs, UserError } from '../../../engine';
import { allItems, type Dataset, type DatasetItem, gatherItems, type ItemSource, withLineage, writeDataset } from '../../data/dataset-artifact';
import { lineageOfItems } from '../../data/lineage';
import { datasetPreviewPng, pickPreviewItems } from '../../data/dataset-preview';
import type { ImageArray } from '../../data/image';
import { resizeBilinear, resizedSpacing, resizeNearest } from '../../data/resample';
import { IMAGE_QUALITIES } from '../../camus/cfg';
import { detectLayout } from '../../camus/layout';
import { chooseCamusSource, cohortOf, type SyntheticCohort, syntheticCohort } from '../../camus/camus-source';
import type { LoadCamusParams } from './node';
import { type ItemFiles, patientFiles, readPair } from '../../camus/patient-files';
import { assignSplit } from '../../camus/split';
import { generateCohort } from '../../camus/synth/generate';

/** The params with the source this process reads: a path, or the synthetic cohort to generate. */
type Settings = Omit<LoadCamusParams, 'source'> & { source: string | SyntheticCohort };

function settingsOf(params: LoadCamusParams): Settings {
  const source = chooseCamusSource(params.source);
  return { ...params, source: typeof source === 'string' ? source : syntheticCohort(source) };
}

const SPLITS = ['train', 'val', 'test'] as const;
type LoadedSplit = (typeof SPLITS)[number];

/**
 * The affine map of an image's intensities to 0..1, as value → (value - offset) × scale: 8-bit (and any
 * integer image within 0..255) over 255, floats already within 0..1 as they are, anything else min–max.
 * Resizing is linear, so it is applied after resizing, to far fewer pixels.
 */
export function intensityScale(image: ImageArray): { offset: number; scale: number } {
  if (image.dtype === 'uint8') return { offset: 0, scale: 1 / 255 };
  const data = image.data;
  const n = data.length;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = data[k];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const integral = !image.dtype.startsWith('float');
  if (integral && min >= 0 && max <= 255) return { offset: 0, scale: 1 / 255 };
  if (!integral && min >= 0 && max <= 1) return { offset: 0, scale: 1 };
  return { offset: min, scale: 1 / (max - min || 1) };
}

async function resolveSource(ctx: NodeContext, settings: Settings): Promise<string> {
  // Relative to the experiment file, as the fingerprint in the key was taken (externalPaths).
  if (typeof settings.source === 'string') return ctx.resolvePath(settings.source);
  const synthetic = settings.source;
  const root = path.join(ctx.scratchDir, 'synthetic-camus');
  ctx.log(`generating ${synthetic.patients} synthetic patients (${synthetic.format}, seed ${synthetic.seed}) in ${root}`);
  await generateCohort({
    outDir: root,
    patients: synthetic.patients,
    seed: synthetic.seed,
    format: synthetic.format,
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress({ done, total, unit: 'patient', message: 'generating' }),
  });
  return root;
}

interface PlannedItem extends ItemFiles {
  split: LoadedSplit;
}

async function planItems(ctx: NodeContext, settings: Settings, root: string): Promise<{ items: PlannedItem[]; release: string; origin: ItemSource }> {
  const layout = await detectLayout(root);
  const split = await assignSplit(layout, settings.split, ctx.seed);
  const items: PlannedItem[] = [];
  let unlisted = 0;
  for (const patient of layout.patients) {
    const subset = split.get(patient.id);
    if (subset === undefined || subset === 'none') {
      unlisted++;
      continue;
    }
    const files = await patientFiles(layout, patient, settings.views, settings.phases);
    if (!files.labelled) {
      ctx.log(`skipped ${files.reason}`);
      continue;
    }
    for (const item of files.items) {
      const quality = item.info.quality;
      if (quality === undefined && settings.quality.length < IMAGE_QUALITIES.length) {
        throw new UserError(
          `${path.join(patient.dir, `Info_${item.view}.cfg`)}: no ImageQuality line, so the quality filter cannot be applied; add it or drop quality from the params`,
        );
      }
      if (quality === undefined || settings.quality.includes(quality)) items.push({ ...item, split: subset });
    }
  }
  if (unlisted > 0) ctx.log(`${unlisted} patients are in no subset of the split and were left out`);
  if (items.length === 0)
    throw new UserError(
      `${root}: no images left to load (views ${settings.views.join(', ')}, phases ${settings.phases.join(', ')}, quality ${settings.quality.join(', ')})`,
    );
  return { items, release: layout.release, origin: layout.synthetic ? 'synthetic' : 'real' };
}

function emptySplit(size: number, count: number): Dataset {
  return {
    manifest: { format: 'cardigan-dataset/1', size: [size, size], hasImages: true, items: [] },
    images: new Float32Array(count * size * size),
    masks: new Uint8Array(count * size * size),
  };
}

/** Loads the release (or generates the synthetic cohort), resizes every item and writes the four splits and a preview. */
export async function run(ctx: NodeContext, _inputs: NodeInputs, params: LoadCamusParams): Promise<void> {
  const settings = settingsOf(params);
  const root = await resolveSource(ctx, settings);
  const { items, release, origin } = await planItems(ctx, settings, root);
  const size = settings.size;
  const plane = size * size;
  const datasets = Object.fromEntries(SPLITS.map((s) => [s, emptySplit(size, items.filter((i) => i.split === s).length)])) as Record<LoadedSplit, Dataset>;
  // Read one item ahead: its file reads and gunzip run on libuv's threads while this one is resized.
  let next = readPair(items[0]);
  for (const [index, item] of items.entries()) {
    if (ctx.signal.aborted) throw new Error('load-camus was cancelled');
    const { image, mask } = await next;
    if (index + 1 < items.length) {
      next = readPair(items[index + 1]);
      next.catch(() => undefined);
    }
    const [rows, cols] = image.shape;
    const target = datasets[item.split];
    const slot = target.manifest.items.length;
    const pixels = (target.images as Float32Array).subarray(slot * plane, (slot + 1) * plane);
    resizeBilinear(image.data, rows, cols, size, size, pixels);
    const { offset, scale } = intensityScale(image);
    for (let k = 0; k < plane; k++) pixels[k] = Math.min(1, Math.max(0, (pixels[k] - offset) * scale));
    resizeNearest(mask.data, rows, cols, size, size, target.masks.subarray(slot * plane, (slot + 1) * plane));
    const nativeSpacing = image.spacing ?? [1, 1];
    const entry: DatasetItem = {
      id: `${item.patient}_${item.view}_${item.phase}`,
      patient: item.patient,
      view: item.view,
      phase: item.phase,
      source: origin,
      nativeSize: [rows, cols],
      spacing: resizedSpacing(nativeSpacing, rows, cols, size, size),
      nativeSpacing,
      split: item.split,
      extra: {
        release,
        ...(item.info.quality === undefined ? {} : { quality: item.info.quality }),
        ...(item.info.ef === undefined ? {} : { ef: item.info.ef }),
      },
    };
    target.manifest.items.push(entry);
    ctx.progress({ done: index + 1, total: items.length, unit: 'image', message: 'loading' });
  }
  const trainval = gatherItems([datasets.train, datasets.val].map((dataset) => ({ dataset, indices: allItems(dataset) })));
  // Each output records its own patients, named by the cohort they belong to, so that two loaders of one cohort are seen to share them.
  const cohort = cohortOf(settings.source);
  const recorded = (dataset: Dataset): Dataset => withLineage(dataset, lineageOfItems(dataset.manifest.items, cohort));
  for (const split of SPLITS) await writeDataset(ctx.outputDir(split), recorded(datasets[split]));
  await writeDataset(ctx.outputDir('trainval'), recorded(trainval));
  const shown = datasets.train.manifest.items.length > 0 ? datasets.train : datasets.test.manifest.items.length > 0 ? datasets.test : datasets.val;
  const counts = SPLITS.map((s) => `${s} ${datasets[s].manifest.items.length}`).join(', ');
  await fs.writeFile(
    path.join(ctx.outputDir('preview'), 'preview.png'),
    datasetPreviewPng(shown, pickPreviewItems(shown, 6), `CAMUS ${release} ${origin}: ${counts}`),
  );
  ctx.log(`loaded ${items.length} images (${counts}) from the ${release} release${origin === 'synthetic' ? ' (synthetic)' : ''}`);
}
