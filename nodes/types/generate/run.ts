import * as path from 'path';
import { type NodeContext, type NodeInputs, optional, single, UserError } from '../../../engine';
import { type Dataset, type DatasetItem, writeDataset } from '../../data/dataset-artifact';
import type { SpadeEncoder } from '../../spade/encoder';
import { type GenerateParams, node, PREVIEW_FILE } from './node';
import { outputLineage } from '../../data/lineage-file';
import { readSpadeInput } from '../../spade/inputs';
import { sampleRows, writeSampleGrid } from '../../spade/sample-grid';
import { abortPoint } from '../../nn/training/abort-point';
import { sampleImages, type StyleSource } from '../../spade/sampler';
import { loadSpadeGenerator } from '../../spade/spade-files';

/** generate's implementation (the definition is in generate.ts). */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: GenerateParams): Promise<void> {
  const modelInput = single(inputs, 'model');
  const masksInput = single(inputs, 'masks');
  const masks = await readSpadeInput(masksInput, 'masks', false);
  const { generator, encoder } = await loadSpadeGenerator(modelInput.dir, `input "model" (${modelInput.from}, ${modelInput.dir})`);
  try {
    const { height, width } = generator.config;
    const [h, w] = masks.manifest.size;
    if (h !== height || w !== width) {
      throw new UserError(
        `${ctx.nodeId}: the model generates ${height}×${width} images but the masks of ${masksInput.from} are ${h}×${w}; resample the masks to ${height}×${width}`,
      );
    }
    const seed = params.seed ?? ctx.seed;
    const styles = await styleSource(ctx, inputs, params, encoder, seed);
    const count = masks.manifest.items.length;
    const items = Array.from({ length: count }, (_, i) => i);
    const images = await sampleImages(generator, masks, items, {
      batchSize: params.batchSize,
      styles: styles?.source,
      onBatch: (done) => {
        ctx.progress({ done, total: count, unit: 'image' });
        return abortPoint(ctx.signal);
      },
    });
    const manifestItems = masks.manifest.items.map(
      (item, k): DatasetItem => ({
        ...item,
        id: `${item.id}_generated`,
        source: 'generated',
        extra: {
          ...item.extra,
          generatorModel: modelInput.hash,
          generatorFrom: modelInput.from,
          mask: item.id,
          maskDataset: masksInput.hash,
          ...(styles === undefined ? {} : { style: styles.describe(k) }),
        },
      }),
    );
    const output: Dataset = {
      manifest: { format: 'cardigan-dataset/1', size: [h, w], hasImages: true, items: manifestItems, lineage: await outputLineage(node, 'dataset', inputs) },
      images,
      masks: masks.masks,
    };
    await writeDataset(ctx.outputDir('dataset'), output);
    await writePreview(ctx, masks, masksInput.from, images, params.previewCount);
    ctx.log(`generated ${count} images of ${h}×${w} from ${masksInput.from}`);
  } finally {
    generator.dispose();
    encoder?.dispose();
  }
}

interface Styles {
  source: StyleSource;
  /** What item k's style was, for its provenance. */
  describe: (k: number) => string;
}

async function styleSource(
  ctx: NodeContext,
  inputs: NodeInputs,
  params: GenerateParams,
  encoder: SpadeEncoder | undefined,
  seed: number,
): Promise<Styles | undefined> {
  const stylesInput = optional(inputs, 'styles');
  if (encoder === undefined) {
    if (params.styles === 'images' || stylesInput !== undefined) ctx.log('the model has no VAE head: style images and params.styles are ignored');
    return undefined;
  }
  if (params.styles === 'random') {
    if (stylesInput !== undefined) ctx.log('params.styles is "random": the styles input is ignored');
    return { source: { kind: 'random', seed }, describe: (k) => `random:${seed + k}` };
  }
  if (stylesInput === undefined)
    throw new UserError(`${ctx.nodeId}: params.styles is "images" but no styles dataset is connected; connect one or set styles: random`);
  const images = await readSpadeInput(stylesInput, 'styles', true);
  const n = images.manifest.items.length;
  const pick = (k: number) => k % n;
  return { source: { kind: 'images', encoder, images, pick, seed }, describe: (k) => images.manifest.items[pick(k)].id };
}

async function writePreview(ctx: NodeContext, masks: Dataset, from: string, generated: Float32Array, count: number): Promise<void> {
  const shown = Array.from({ length: Math.min(count, masks.manifest.items.length) }, (_, i) => i);
  await writeSampleGrid(
    path.join(ctx.outputDir('preview'), PREVIEW_FILE),
    sampleRows(masks, shown, generated),
    masks.manifest.size,
    `${ctx.nodeId}: generated from ${from}`,
  );
}
