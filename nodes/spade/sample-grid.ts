import { promises as fs } from 'fs';
import { PNG } from 'pngjs';
import type { Dataset } from '../data/dataset-artifact';

/**
 * A PNG grid with one row per sample: coloured mask | real image (when there is one) | generated
 * image(s). Stand-in until the shared montage module (nodes/data/montage.ts) reaches main; it uses
 * the same mask colours so pictures agree across cardigan.
 */
export interface SampleRow {
  /** Labels 0..3, row-major [H, W]. */
  mask: ArrayLike<number>;
  /** Intensities in 0..1, [H, W]; absent for masks without images. */
  real?: ArrayLike<number>;
  /** One or more generated images in 0..1, [H, W] each. */
  generated: ArrayLike<number>[];
}

/** 0 background, 1 LV cavity, 2 myocardium, 3 left atrium (Okabe–Ito colours); other labels magenta. */
const PALETTE: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 0],
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
];
const INVALID: readonly [number, number, number] = [255, 0, 255];
const GAP = 4;
const BACKGROUND = 24;
/** Small images are enlarged (nearest, by a whole factor) so a tile is at least this tall. */
const MIN_TILE = 128;

export function renderSampleGrid(rows: readonly SampleRow[], [h, w]: [number, number]): Buffer {
  const zoom = Math.max(1, Math.floor(MIN_TILE / h));
  const [th, tw] = [h * zoom, w * zoom];
  const columns = Math.max(1, ...rows.map((row) => 1 + (row.real === undefined ? 0 : 1) + row.generated.length));
  const png = new PNG({ width: GAP + columns * (tw + GAP), height: GAP + rows.length * (th + GAP) });
  png.data.fill(BACKGROUND);
  for (let p = 3; p < png.data.length; p += 4) png.data[p] = 255;
  const paint = (row: number, column: number, colour: (index: number) => readonly [number, number, number]) => {
    const [x0, y0] = [GAP + column * (tw + GAP), GAP + row * (th + GAP)];
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const rgb = colour(Math.floor(y / zoom) * w + Math.floor(x / zoom));
        png.data.set(rgb, 4 * ((y0 + y) * png.width + x0 + x));
      }
  };
  const grey = (pixels: ArrayLike<number>) => (i: number) => {
    const v = Math.round(255 * Math.min(1, Math.max(0, pixels[i])));
    return [v, v, v] as const;
  };
  rows.forEach((row, r) => {
    const tiles = [(i: number) => PALETTE[row.mask[i]] ?? INVALID, ...(row.real === undefined ? [] : [grey(row.real)]), ...row.generated.map(grey)];
    tiles.forEach((colour, c) => paint(r, c, colour));
  });
  return PNG.sync.write(png);
}

export async function writeSampleGrid(file: string, rows: readonly SampleRow[], size: [number, number]): Promise<void> {
  await fs.writeFile(file, renderSampleGrid(rows, size));
}

/**
 * Rows for `items` of a dataset, with `generated` holding one image per listed item in order
 * (0..1, [H·W] each); the real image is shown when the dataset has images.
 */
export function sampleRows(dataset: Dataset, items: readonly number[], generated: Float32Array): SampleRow[] {
  const [h, w] = dataset.manifest.size;
  const pixels = h * w;
  return items.map((item, k) => ({
    mask: dataset.masks.subarray(item * pixels, (item + 1) * pixels),
    real: dataset.images?.subarray(item * pixels, (item + 1) * pixels),
    generated: [generated.subarray(k * pixels, (k + 1) * pixels)],
  }));
}
