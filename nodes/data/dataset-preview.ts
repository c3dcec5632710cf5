import { type Dataset, itemPixels } from './dataset-artifact';
import { type MontageRow, montagePng } from './montage';

/**
 * A PNG preview of some items of a dataset: one row per item, mask | image | overlay, captioned with
 * the item id and any `extra.quality`. Items are picked to cover every (view, phase, quality) seen.
 */

export function pickPreviewItems(dataset: Dataset, count: number): number[] {
  const seen = new Set<string>();
  const picked: number[] = [];
  dataset.manifest.items.forEach((item, index) => {
    const key = `${item.view}/${item.phase}/${String(item.extra?.quality ?? '')}`;
    if (!seen.has(key) && picked.length < count) {
      seen.add(key);
      picked.push(index);
    }
  });
  for (let index = 0; index < dataset.manifest.items.length && picked.length < count; index++) {
    if (!picked.includes(index)) picked.push(index);
  }
  return picked.sort((a, b) => a - b);
}

export function datasetPreviewPng(dataset: Dataset, indices: readonly number[], title: string): Buffer {
  const [rows, cols] = dataset.manifest.size;
  const montage: MontageRow[] = indices.map((index) => {
    const item = dataset.manifest.items[index];
    const { image, mask } = itemPixels(dataset, index);
    const pixelAspect = item.spacing[0] / item.spacing[1];
    const quality = item.extra?.quality === undefined ? '' : ` ${String(item.extra.quality)}`;
    return {
      label: `${item.patient.replace(/^patient/, '')} ${item.view} ${item.phase}${quality}`,
      tiles: [
        { kind: 'mask', labels: mask, rows, cols, pixelAspect },
        ...(image === undefined
          ? []
          : [
              { kind: 'image' as const, pixels: image, rows, cols, pixelAspect },
              { kind: 'overlay' as const, pixels: image, labels: mask, rows, cols, pixelAspect },
            ]),
      ],
    };
  });
  return montagePng(montage, { tileSize: 160, title, columnTitles: dataset.manifest.hasImages ? ['mask', 'image', 'overlay'] : ['mask'] });
}
