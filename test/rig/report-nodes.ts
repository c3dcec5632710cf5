import { promises as fs } from 'fs';
import * as path from 'path';
import { defineNode, many, single } from '../../engine/node-api';
import type { NodeType } from '../../engine/node-api';
import type { NodeRegistry } from '../../engine/registry';
import { readDataset, writeDataset, type DatasetItem } from '../../nodes/data/dataset-artifact';
import { maskGridPng, montagePng } from '../../nodes/data/montage';
import { clinicalCsv } from '../../nodes/evaluate/clinical-table';
import type { ClinicalLine } from '../../nodes/evaluate/clinical';
import { mulberry32, normal, type RandomSource as Random } from '../../nodes/data/random';
import { drawHeart, paintDiskOnBackground } from './heart-mask';

/**
 * Node types for report tests only (a plugin: `plugins: [<this file>]`): a tiny stand-in for the
 * paper's pipeline that writes every kind of artifact the report shows, quickly and from its seed —
 * a cohort of heart masks and images with a preview PNG, a "trainer" with a log.jsonl in the shared
 * training loop's shape and per-epoch sample grids, and an "evaluator" writing Table 1 as the
 * evaluate node does (table1.csv, table1.md). The built-in umap and filter nodes run on the cohorts.
 */

const SIZE = 48;

function heart(random: Random, jitter: number, degenerate: boolean): Uint8Array {
  const j = (scale: number): number => Math.round(normal(random) * scale * jitter);
  const lvHalfWidth = 7 + j(1);
  const mask = drawHeart({
    rows: SIZE,
    cols: SIZE,
    centerCol: 24 + j(1.5),
    apexRow: 7 + j(1),
    baseRow: 30 + j(1.5),
    lvHalfWidth,
    capHeight: 10 + j(1),
    myoThickness: 3,
    // Just wider than the LV, as in the default heart: a plausible base that passes the frontier criteria.
    laHalfWidth: lvHalfWidth + 0.5,
    laHeight: 11 + j(1),
  });
  // A stray blob of LV outside the heart: a second LV component, which the filter rejects.
  return degenerate ? paintDiskOnBackground(mask, SIZE, SIZE, 40, 6 + Math.floor(random() * 4), 2, 1) : mask;
}

const TISSUE = [0.05, 0.12, 0.7, 0.15];

function ultrasound(mask: Uint8Array, random: Random): Float32Array {
  const image = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) image[i] = Math.min(1, Math.max(0, TISSUE[mask[i]] + 0.08 * normal(random)));
  return image;
}

/** Rows of mask | image | "generated" image (what SPADE's sample grids show), through the shared montage. */
function tripletGridPng(masks: Uint8Array[], images: Float32Array[], generated: Float32Array[]): Buffer {
  const tile = { rows: SIZE, cols: SIZE };
  return montagePng(
    masks.map((labels, row) => ({
      tiles: [
        { kind: 'mask', labels, ...tile },
        { kind: 'image', pixels: images[row], ...tile },
        { kind: 'image', pixels: generated[row], ...tile },
      ],
    })),
    { tileSize: SIZE * 2, columnTitles: ['mask', 'real', 'generated'] },
  );
}

interface CohortParams {
  count: number;
  jitter: number;
  degenerate: number;
  source: 'real' | 'generated';
}

export const cohortNode: NodeType<CohortParams> = defineNode<CohortParams>({
  type: 't-cohort',
  version: 1,
  description: 'A tiny cohort of heart masks and images, with a preview.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      count: { type: 'integer', minimum: 4, default: 24, description: 'Items.' },
      jitter: { type: 'number', minimum: 0, default: 1, description: 'Shape variability.' },
      degenerate: { type: 'number', minimum: 0, maximum: 1, default: 0, description: 'Share of items with a stray LV blob.' },
      source: { enum: ['real', 'generated'], default: 'real', description: 'Item source recorded in the manifest.' },
    },
  },
  inputs: {},
  outputs: {
    dataset: { type: 'dataset', description: 'manifest.json, images.npy, masks.npy' },
    preview: { type: 'report', description: 'preview.png' },
  },
  resource: 'cpu',
  async run(ctx, _inputs, params) {
    const random = mulberry32(ctx.seed);
    const masks: Uint8Array[] = [];
    const images: Float32Array[] = [];
    const items: DatasetItem[] = [];
    for (let i = 0; i < params.count; i++) {
      const mask = heart(random, params.jitter, random() < params.degenerate);
      masks.push(mask);
      images.push(ultrasound(mask, random));
      items.push({
        id: `item${String(i).padStart(3, '0')}`,
        patient: `p${Math.floor(i / 2)}`,
        view: i % 4 < 2 ? '2CH' : '4CH',
        phase: i % 2 === 0 ? 'ED' : 'ES',
        source: params.source,
        nativeSize: [SIZE, SIZE],
        spacing: [0.3, 0.3],
        nativeSpacing: [0.3, 0.3],
        split: 'train',
      });
    }
    const flat = <T extends Uint8Array | Float32Array>(parts: T[], out: T): T => {
      parts.forEach((part, i) => out.set(part, i * SIZE * SIZE));
      return out;
    };
    await writeDataset(ctx.outputDir('dataset'), {
      manifest: { format: 'cardigan-dataset/1', size: [SIZE, SIZE], hasImages: true, items },
      masks: flat(masks, new Uint8Array(params.count * SIZE * SIZE)),
      images: flat(images, new Float32Array(params.count * SIZE * SIZE)),
    });
    await fs.writeFile(path.join(ctx.outputDir('preview'), 'preview.png'), maskGridPng(masks.slice(0, 6), SIZE, SIZE));
  },
});

export const trainNode: NodeType<{ epochs: number }> = defineNode<{ epochs: number }>({
  type: 't-train',
  version: 1,
  description: 'Pretends to train: logs falling losses and rising validation Dice, and writes sample grids.',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: { epochs: { type: 'integer', minimum: 1, default: 12, description: 'Epochs.' } },
  },
  inputs: { train: { type: 'dataset', description: 'Training data.' } },
  outputs: { model: { type: 'model', description: 'model.json, log.jsonl, volatile/timings.jsonl, samples/epoch-NNN.png' } },
  resource: 'cpu',
  async run(ctx, inputs, params) {
    const data = await readDataset(single(inputs, 'train').dir);
    const random = mulberry32(ctx.seed);
    const dir = ctx.outputDir('model');
    await fs.mkdir(path.join(dir, 'samples'));
    const skill = 0.8 + 0.15 * random();
    const lines: string[] = [];
    const timings: string[] = [];
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      const decay = Math.exp(-epoch / 4);
      lines.push(
        JSON.stringify({
          epoch,
          losses: { loss: 0.15 + 1.2 * decay + 0.02 * random(), dice: 0.1 + 0.8 * decay },
          lrs: { model: 0.001 * (1 - (epoch - 1) / params.epochs) },
          validation: { dice_endo: skill - 0.5 * decay + 0.01 * random(), dice_epi: skill + 0.05 - 0.5 * decay + 0.01 * random() },
        }),
      );
      timings.push(JSON.stringify({ epoch, seconds: 1.5, imagesPerSecond: 16 }));
      if (epoch === 1 || epoch % 4 === 0) {
        const masks = [0, 1].map((i) => data.masks.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE));
        const images = [0, 1].map((i) => (data.images as Float32Array).subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE));
        const generated = images.map((image) => image.map((v) => Math.min(1, Math.max(0, v + decay * 0.6 * normal(random)))));
        await fs.writeFile(path.join(dir, 'samples', `epoch-${String(epoch).padStart(3, '0')}.png`), tripletGridPng(masks, images, generated));
      }
    }
    await fs.writeFile(path.join(dir, 'log.jsonl'), lines.join('\n') + '\n');
    await fs.mkdir(path.join(dir, 'volatile'));
    await fs.writeFile(path.join(dir, 'volatile', 'timings.jsonl'), timings.join('\n') + '\n');
    await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ format: 'test-model', skill }));
  },
});

const TABLE_HEADER =
  'dataset,model,model_id,phase,images,dice_endo,dice_endo_std,dice_epi,dice_epi_std,hd_endo,hd_endo_std,hd_epi,hd_epi_std,assd_endo,assd_endo_std,assd_epi,assd_epi_std,empty_endo,empty_epi,valid_fraction';
const PAPER: Record<string, string> = {
  CAMUS: '0.937,,0.957,,5,,5.4,,1.4,,1.5,',
  CAMUSx: '0.919,,0.942,,6.1,,7.2,,1.7,,2,',
};

export const evaluateNode: NodeType<Record<string, never>> = defineNode<Record<string, never>>({
  type: 't-evaluate',
  version: 2,
  description: 'Writes Table 1 (table1.csv, table1.md) and the clinical indices (clinical.csv) for its models, shaped as the evaluate node writes them.',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  inputs: {
    models: { type: 'model', multiple: true, description: 'Models.' },
    test: { type: 'dataset', description: 'Test data.' },
  },
  outputs: { table: { type: 'metrics', description: 'table1.csv, table1.md, clinical.csv' } },
  resource: 'cpu',
  async run(ctx, inputs) {
    const test = await readDataset(single(inputs, 'test').dir);
    const n = test.manifest.items.length;
    const lines = [TABLE_HEADER];
    const clinical: ClinicalLine[] = [];
    const lengths = { '2CH_ED': 85, '2CH_ES': 75, '4CH_ED': 86, '4CH_ES': 76 };
    const reference = (k: number) => ({ edv: 90 + 15 * k, esv: (90 + 15 * k) * (0.35 + 0.04 * k) });
    const withEf = ({ edv, esv }: { edv: number; esv: number }) => ({ edv, esv, ef: (100 * (edv - esv)) / edv });
    for (let k = 0; k < 6; k++) clinical.push({ model: null, patient: `patient000${k + 1}`, result: { ok: true, indices: withEf(reference(k)), lengths } });
    clinical.push({ model: null, patient: 'patient0007', result: { ok: false, reasons: ['no 4CH ES image'] } });
    const markdown = ['# Table 1: segmentation of the test set', '', '| Dataset | Model | Phase | Dice endo |', '|---|---|---|---:|'];
    for (const model of many(inputs, 'models')) {
      const { skill } = JSON.parse(await fs.readFile(path.join(model.dir, 'model.json'), 'utf8')) as { skill: number };
      const dataset = model.nodeId.includes('camusx') ? 'CAMUSx' : 'CAMUS';
      for (const [phase, images, shift] of [
        ['ED', n / 2, 0.01],
        ['ES', n / 2, -0.01],
        ['all', n, 0],
      ] as const) {
        const dice = skill + shift;
        const hd = 4 + 10 * (1 - dice);
        lines.push(
          `${dataset},U-Net,${model.nodeId},${phase},${images},${dice},0.021,${dice + 0.02},0.015,${hd},1.2,${hd + 0.6},1.4,${hd / 3.5},0.3,${hd / 3.2},0.35,0,0,${0.9 + shift}`,
        );
        markdown.push(`| ${dataset} | U-Net | ${phase} | ${dice.toFixed(3)} |`);
      }
      lines.push(`${dataset},U-Net,${model.nodeId},paper,,${PAPER[dataset]},,,`);
      for (let k = 0; k < 6; k++) {
        const { edv, esv } = reference(k);
        const error = (1 - skill) * 4;
        clinical.push({
          model: model.nodeId,
          patient: `patient000${k + 1}`,
          result: { ok: true, indices: withEf({ edv: edv * (1 + error * Math.sin(k)), esv: esv * (1 - error * Math.cos(k)) }), lengths },
        });
      }
      clinical.push({ model: model.nodeId, patient: 'patient0007', result: { ok: false, reasons: ['no 4CH ES image'] } });
    }
    lines.push('Wei et al. [6],,,paper,,0.929,,0.955,,4.6,,4.9,,1.4,,1.6,,,,');
    const dir = ctx.outputDir('table');
    await fs.writeFile(path.join(dir, 'table1.csv'), lines.join('\n') + '\n');
    await fs.writeFile(path.join(dir, 'table1.md'), markdown.join('\n') + '\n');
    await fs.writeFile(path.join(dir, 'clinical.csv'), clinicalCsv(clinical));
  },
});

export function register(registry: NodeRegistry): void {
  registry.register(cohortNode);
  registry.register(trainNode);
  registry.register(evaluateNode);
}
