import * as path from 'path';
import type { InputArtifact } from '../engine/node-api';
import { type Dataset, type DatasetItem, readDataset } from '../nodes/data/dataset-artifact';
import { node as mergeDatasets, type MergeDatasetsParams } from '../nodes/types/merge-datasets/node';
import { datasetInput, testItem } from './rig/dataset';
import { makeTestContext } from './rig/node-context';

const SIZE = 4;

function item(patient: string, view: '2CH' | '4CH', source: DatasetItem['source']): DatasetItem {
  return testItem(`${patient}_${view}_ED`, { patient, view, source, nativeSize: [8, 8], nativeSpacing: [0.5, 0.5], split: 'train' });
}

/** A dataset whose item k has every pixel equal to `base + k`, so positions can be traced after merging. */
async function artifact(nodeId: string, items: DatasetItem[], base: number, hasImages = true, size = SIZE): Promise<InputArtifact> {
  const plane = size * size;
  const dataset: Dataset = {
    manifest: { format: 'cardigan-dataset/1', size: [size, size], hasImages, items },
    images: hasImages ? Float32Array.from({ length: items.length * plane }, (_, p) => (base + Math.floor(p / plane)) / 100) : undefined,
    masks: Uint8Array.from({ length: items.length * plane }, (_, p) => (base + Math.floor(p / plane)) % 4),
  };
  return datasetInput(dataset, nodeId);
}

async function merge(inputs: InputArtifact[], params: MergeDatasetsParams = {}, seed = 1): Promise<Dataset> {
  const ctx = await makeTestContext({ nodeId: 'merged', seed });
  await mergeDatasets.run(ctx, { datasets: inputs }, params);
  return readDataset(path.join(ctx.root, 'out', 'dataset'));
}

const camus = () => artifact('camus', [item('patient0001', '2CH', 'real'), item('patient0001', '4CH', 'real'), item('patient0002', '2CH', 'real')], 0);
const camusx = () => artifact('camusx', [item('patient0001', '2CH', 'generated'), item('mask0007', '4CH', 'generated')], 10);

describe('merge-datasets', () => {
  it('concatenates in input order, prefixing only ids found in more than one input, and keeps sources', async () => {
    const merged = await merge([await camus(), await camusx()]);
    expect(merged.manifest.items.map((i) => i.id)).toEqual([
      'camus/patient0001_2CH_ED',
      'patient0001_4CH_ED',
      'patient0002_2CH_ED',
      'camusx/patient0001_2CH_ED',
      'mask0007_4CH_ED',
    ]);
    expect(merged.manifest.items.map((i) => i.source)).toEqual(['real', 'real', 'real', 'generated', 'generated']);
    expect(merged.manifest.items.map((i) => i.extra?.mergedFrom)).toEqual([
      'camus.dataset',
      'camus.dataset',
      'camus.dataset',
      'camusx.dataset',
      'camusx.dataset',
    ]);
    const firstPixel = (k: number) => (merged.images as Float32Array)[k * SIZE * SIZE];
    expect([0, 1, 2, 3, 4].map((k) => Math.round(firstPixel(k) * 100))).toEqual([0, 1, 2, 10, 11]);
    expect(Array.from(merged.masks.subarray(3 * SIZE * SIZE, 3 * SIZE * SIZE + 2))).toEqual([2, 2]);
  });

  it('keeps a seeded part of an input named by node id, position or reference, in original order', async () => {
    const big = await artifact(
      'camusx',
      Array.from({ length: 20 }, (_, k) => item(`mask${String(k).padStart(4, '0')}`, '2CH', 'generated')),
      0,
    );
    for (const key of ['camusx', '1', 'camusx.dataset']) {
      const merged = await merge([await camus(), big], { take: { [key]: { fraction: 0.25 } } });
      const kept = merged.manifest.items.filter((i) => i.source === 'generated').map((i) => i.id);
      expect(kept.length).toBe(5);
      expect([...kept].sort()).toEqual(kept);
    }
    const a = await merge([big], { take: { 0: { limit: 7, fraction: 0.5 } } });
    const b = await merge([big], { take: { 0: { limit: 7, fraction: 0.5 } } });
    const c = await merge([big], { take: { 0: { limit: 7 } } }, 2);
    expect(a.manifest.items.length).toBe(7);
    expect(b.manifest.items.map((i) => i.id)).toEqual(a.manifest.items.map((i) => i.id));
    expect(c.manifest.items.map((i) => i.id)).not.toEqual(a.manifest.items.map((i) => i.id));
  });

  it('counts patients with unit: patient and never splits one', async () => {
    const views = ['2CH', '4CH'] as const;
    const many = await artifact(
      'camus',
      Array.from({ length: 10 }, (_, k) => views.map((v) => item(`patient${String(k).padStart(4, '0')}`, v, 'real'))).flat(),
      0,
    );
    const merged = await merge([many], { take: { camus: { limit: 3 } }, unit: 'patient' });
    expect(merged.manifest.items.length).toBe(6);
    expect(new Set(merged.manifest.items.map((i) => i.patient)).size).toBe(3);
  });

  it('tells apart the same node connected twice', async () => {
    const source = await camusx();
    const merged = await merge([source, source]);
    expect(merged.manifest.items.map((i) => i.id)).toEqual([
      'camusx#0/patient0001_2CH_ED',
      'camusx#0/mask0007_4CH_ED',
      'camusx#1/patient0001_2CH_ED',
      'camusx#1/mask0007_4CH_ED',
    ]);
  });

  it('refuses a take key that names no input, with a suggestion', async () => {
    await expect(merge([await camus(), await camusx()], { take: { camux: { limit: 1 } } })).rejects.toThrow(
      'merge-datasets: take.camux names no input — did you mean "camus"?; name an input by position (0..1), node id or reference (camus.dataset, camusx.dataset)',
    );
  });

  it('refuses inputs of different sizes or of masks only mixed with images', async () => {
    const small = await artifact('masks', [item('mask0001', '2CH', 'artificial-mask')], 0, true, 2);
    await expect(merge([await camus(), small])).rejects.toThrow('merge-datasets: camus.dataset is 4×4 but masks.dataset is 2×2; produce them at one size');
    const maskOnly = await artifact('masks', [item('mask0001', '2CH', 'artificial-mask')], 0, false);
    await expect(merge([await camus(), maskOnly])).rejects.toThrow(
      'merge-datasets: masks.dataset has no images but camus.dataset has; merge image datasets with image datasets',
    );
  });
});
