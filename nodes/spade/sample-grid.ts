import { promises as fs } from 'fs';
import type { Dataset } from '../data/dataset-artifact';
import { type MontageTile, montagePng } from '../data/montage';

/**
 * SPADE's sample grids, drawn with cardigan's shared montage (nodes/data/montage.ts, whose mask
 * colours every picture shares): one row per sample, mask | real image (when there is one) |
 * generated image(s).
 */
export interface SampleRow {
  /** Drawn left of the row, e.g. the item id. */
  label?: string;
  /** Labels 0..3, row-major [H, W]. */
  mask: ArrayLike<number>;
  /** Intensities in 0..1, [H, W]; absent for masks without images. */
  real?: ArrayLike<number>;
  /** One or more generated images in 0..1, [H, W] each. */
  generated: ArrayLike<number>[];
  /** Physical height / width of a pixel (row spacing / column spacing); 1 by default. */
  pixelAspect?: number;
}

export function renderSampleGrid(rows: readonly SampleRow[], [h, w]: [number, number], title?: string): Buffer {
  const withReal = rows.some((row) => row.real !== undefined);
  const generatedColumns = Math.max(1, ...rows.map((row) => row.generated.length));
  const columnTitles = ['mask', ...(withReal ? ['real'] : []), ...Array.from({ length: generatedColumns }, () => 'generated')];
  const montage = rows.map((row) => {
    const base = { rows: h, cols: w, pixelAspect: row.pixelAspect };
    const tiles: MontageTile[] = [
      { kind: 'mask', labels: row.mask, ...base },
      ...(row.real === undefined ? [] : [{ kind: 'image' as const, pixels: row.real, ...base }]),
      ...row.generated.map((pixels) => ({ kind: 'image' as const, pixels, ...base })),
    ];
    return { label: row.label, tiles };
  });
  return montagePng(montage, { title, columnTitles });
}

export async function writeSampleGrid(file: string, rows: readonly SampleRow[], size: [number, number], title?: string): Promise<void> {
  await fs.writeFile(file, renderSampleGrid(rows, size, title));
}

/**
 * Rows for `items` of a dataset, with `generated` holding one image per listed item in order
 * (0..1, [H·W] each); the real image is shown when the dataset has images.
 */
export function sampleRows(dataset: Dataset, items: readonly number[], generated: Float32Array): SampleRow[] {
  const [h, w] = dataset.manifest.size;
  const pixels = h * w;
  return items.map((item, k) => {
    const { id, spacing } = dataset.manifest.items[item];
    return {
      label: id,
      mask: dataset.masks.subarray(item * pixels, (item + 1) * pixels),
      real: dataset.images?.subarray(item * pixels, (item + 1) * pixels),
      generated: [generated.subarray(k * pixels, (k + 1) * pixels)],
      pixelAspect: spacing[0] / spacing[1],
    };
  });
}
