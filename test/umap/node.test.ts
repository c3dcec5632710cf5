import Ajv from 'ajv';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { InputArtifact } from '../../engine/node-api';
import { writeDataset, type DatasetItem } from '../../nodes/data/dataset-artifact';
import { readNpy } from '../../nodes/data/npy';
import type { EmbeddingManifest, UmapParams } from '../../nodes/types/umap/node';
import { node as umapNode } from '../../nodes/types/umap/node';
import type { GapReport } from '../../nodes/umap/outputs';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { testItem } from '../rig/dataset';

const SIZE = 32;

/**
 * Disc-shaped "LV" masks (label 1) ringed by "myocardium" (label 2), centred at column `cx`, radius
 * growing with the item index; images are the masks scaled to 0..1. Discs on the left and on the
 * right share no pixel, so they are far apart compared with discs on the same side.
 */
async function discs(dir: string, name: string, cxs: readonly number[], maskOnly = false): Promise<void> {
  const n = cxs.length;
  const masks = new Uint8Array(n * SIZE * SIZE);
  cxs.forEach((cx, i) => {
    const radius = 3 + (i % 10) * 0.35;
    const cy = 12 + (i % 7) * 1.1;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const d = Math.hypot(r - cy, c - cx);
        masks[i * SIZE * SIZE + r * SIZE + c] = d < radius ? 1 : d < radius + 1.5 ? 2 : 0;
      }
    }
  });
  const items: DatasetItem[] = cxs.map((_, i) =>
    testItem(`${name}${String(i).padStart(3, '0')}`, { patient: `${name}${i}`, nativeSize: [SIZE, SIZE], split: 'train' }),
  );
  const images = maskOnly ? undefined : Float32Array.from(masks, (v) => v / 3);
  await writeDataset(dir, { manifest: { format: 'cardigan-dataset/1', size: [SIZE, SIZE], hasImages: !maskOnly, items }, images, masks });
}

const PARAMS: UmapParams = { features: 'masks', downsample: 16, nComponents: 3, nNeighbors: 8, minDist: 0.1, nEpochs: 60, sample: 1000, k: 3 };

let root: string;
let real: InputArtifact;
let artificial: InputArtifact;

beforeAll(async () => {
  const ctx = await makeTestContext();
  root = ctx.root;
  // Real: 20 discs on the left, 20 on the right. Artificial: the same 20 left discs, nothing on the right.
  const left = Array.from({ length: 20 }, () => 9);
  const right = Array.from({ length: 20 }, () => 23);
  await discs(path.join(root, 'real'), 'r', [...left, ...right]);
  await discs(path.join(root, 'fake'), 'f', left);
  real = { dir: path.join(root, 'real'), hash: 'r', type: 'dataset', from: 'camus.train', nodeId: 'camus' };
  artificial = { dir: path.join(root, 'fake'), hash: 'f', type: 'dataset', from: 'camusx.dataset', nodeId: 'camusx' };
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function run(params: Partial<UmapParams> = {}, seed = 1, inputs: InputArtifact[] = [real, artificial]): Promise<TestContext> {
  const ctx = await makeTestContext({ nodeId: 'umap', seed });
  await umapNode.run(ctx, { datasets: inputs }, { ...PARAMS, ...params });
  return ctx;
}

async function read(ctx: TestContext, file: string): Promise<Buffer> {
  return fs.readFile(path.join(ctx.root, 'out', 'embedding', file));
}

describe('umap node', () => {
  let first: TestContext;
  beforeAll(async () => {
    first = await run({ features: 'both' });
  });

  test('writes coordinates, labels, gap metrics and charts per feature kind', async () => {
    const manifest = JSON.parse((await read(first, 'embedding.json')).toString()) as EmbeddingManifest;
    expect(manifest).toEqual({
      format: 'cardigan-embedding/1',
      features: ['masks', 'images'],
      nComponents: 3,
      reference: 'camus',
      seed: 1,
      datasets: [
        { label: 'camus', from: 'camus.train', items: 40, sampled: 40 },
        { label: 'camusx', from: 'camusx.dataset', items: 20, sampled: 20 },
      ],
    });
    for (const kind of ['masks', 'images']) {
      const coordinates = await readNpy(path.join(first.root, 'out', 'embedding', kind, 'coordinates.npy'));
      expect(coordinates.dtype).toBe('float32');
      expect(coordinates.shape).toEqual([60, 3]);
      expect(Array.from(coordinates.data).every(Number.isFinite)).toBe(true);
      const labels = (await read(first, `${kind}/labels.csv`)).toString().trim().split('\n');
      expect(labels[0]).toBe('dataset,id');
      expect(labels[1]).toBe('camus,r000');
      expect(labels[41]).toBe('camusx,f000');
      const csv = (await read(first, `${kind}/coordinates.csv`)).toString().trim().split('\n');
      expect(csv[0]).toBe('dataset,id,umap1,umap2,umap3');
      expect(
        csv[60]
          .split(',')
          .slice(2)
          .map((text) => Math.fround(Number(text))),
      ).toEqual(Array.from(coordinates.data.subarray(59 * 3, 60 * 3)));
      const svg = (await read(first, `${kind}/scatter.svg`)).toString();
      expect(svg).toContain('camusx vs camus: precision');
      expect((await read(first, `${kind}/scatter.png`)).subarray(1, 4).toString()).toBe('PNG');
    }
  });

  test('gap metrics say that the artificial set copies half of the real one', async () => {
    // The artificial discs are exact copies of the real left ones; the real right ones have no
    // artificial counterpart, and left and right discs share no pixel.
    const report = JSON.parse((await read(first, 'masks/gap-metrics.json')).toString()) as GapReport;
    expect(report.dimensions).toBe(4 * 16 * 16);
    expect(report.comparisons).toHaveLength(1);
    const [m] = report.comparisons;
    expect([m.dataset, m.precision, m.recall, m.coverage]).toEqual(['camusx', 1, 0.5, 0.5]);
    expect(report.trustworthiness.value).toBeGreaterThan(0.8);
    expect(report.trustworthiness.value).toBeLessThanOrEqual(1);
  });

  test('the same seed gives the same bytes; another seed another layout', async () => {
    const again = await run({ features: 'both' });
    for (const file of ['masks/coordinates.npy', 'masks/scatter.svg', 'masks/scatter.png', 'images/coordinates.csv', 'images/gap-metrics.json']) {
      expect((await read(again, file)).equals(await read(first, file))).toBe(true);
    }
    const other = await run({ features: 'both' }, 2);
    expect((await read(other, 'masks/coordinates.npy')).equals(await read(first, 'masks/coordinates.npy'))).toBe(false);
  });

  test('reports progress in epochs', () => {
    const last = first.progressUpdates[first.progressUpdates.length - 1];
    expect(last).toEqual({ done: 60, total: 60, unit: 'epoch', message: 'images' });
  });

  test('measures against the dataset named as reference, in 2-D', async () => {
    const ctx = await run({ reference: 'SPADE', labels: { camusx: 'SPADE' }, nComponents: 2 });
    const report = JSON.parse((await read(ctx, 'masks/gap-metrics.json')).toString()) as GapReport;
    expect(report.reference).toBe('SPADE');
    // Seen from the artificial side the roles swap: every real left disc lies on an artificial one,
    // the right ones on none.
    expect([report.comparisons[0].dataset, report.comparisons[0].precision, report.comparisons[0].recall]).toEqual(['camus', 0.5, 1]);
    expect((await read(ctx, 'masks/coordinates.csv')).toString().split('\n')[0]).toBe('dataset,id,umap1,umap2');
  });

  test('samples at most `sample` items per dataset', async () => {
    const ctx = await run({ sample: 15, nEpochs: 5 });
    const manifest = JSON.parse((await read(ctx, 'embedding.json')).toString()) as EmbeddingManifest;
    expect(manifest.datasets.map((d) => d.sampled)).toEqual([15, 15]);
    const coordinates = await readNpy(path.join(ctx.root, 'out', 'embedding', 'masks', 'coordinates.npy'));
    expect(coordinates.shape).toEqual([30, 3]);
  });

  test('explains inputs it cannot use', async () => {
    await expect(run({}, 1, [real])).rejects.toThrow('umap needs two or more datasets in inputs.datasets (got 1)');
    await expect(run({ downsample: 64 })).rejects.toThrow('params.downsample = 64 is larger than dataset "camus" (camus.train, 32×32); use at most 32');
    await expect(run({ reference: 'camux' })).rejects.toThrow('params.reference "camux" is not one of the dataset labels: camus, camusx');
    await discs(
      path.join(root, 'maskonly'),
      'm',
      Array.from({ length: 10 }, () => 9),
      true,
    );
    const maskOnly: InputArtifact = { dir: path.join(root, 'maskonly'), hash: 'm', type: 'dataset', from: 'vae.masks', nodeId: 'vae' };
    await expect(run({ features: 'images' }, 1, [real, maskOnly])).rejects.toThrow('dataset "vae" (vae.masks) holds masks only; use features: masks');
    await expect(run({ k: 20 })).rejects.toThrow('dataset "camusx" (camusx.dataset) has 20 items to embed; params.k = 20 needs at least 21');
  });
});

describe('umap params schema', () => {
  const validate = new Ajv({ useDefaults: true, strict: true }).compile(umapNode.paramsSchema);

  test('fills the documented defaults', () => {
    const params: Record<string, unknown> = {};
    expect(validate(params)).toBe(true);
    expect(params).toEqual({ features: 'masks', downsample: 64, nComponents: 3, nNeighbors: 15, minDist: 0.1, sample: 1000, k: 5 });
  });

  test('refuses unknown params and values out of range', () => {
    expect(validate({ nNeighbours: 10 })).toBe(false);
    expect(validate({ nComponents: 4 })).toBe(false);
    expect(validate({ features: 'pixels' })).toBe(false);
  });
});
