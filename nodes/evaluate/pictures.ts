import { PNG } from 'pngjs';
import { LABEL_PALETTE } from '../anatomy/mask-grid';

/**
 * The evaluate node's PNGs, deliberately minimal (pngjs, no text) until the shared montage module
 * (nodes/data/montage.ts, branch camus) is on main: label maps as 8-bit greyscale whose grey level
 * is the label (what `cardigan metrics` reads back), and a grid of examples.
 */

/** A label map [rows, cols] as an 8-bit greyscale PNG, grey level = label. */
export function labelPng(labels: Uint8Array, rows: number, cols: number): Buffer {
  const png = new PNG({ width: cols, height: rows, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(labels.buffer, labels.byteOffset, rows * cols);
  // No row filters: label maps are long runs of one value, which deflate alone packs to a few kB.
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType: 0 });
}

export type Tile = { kind: 'image'; pixels: Float32Array } | { kind: 'labels'; labels: Uint8Array };

const GAP = 2;
const SEPARATOR = 255;

/**
 * Tiles of one size [rows, cols] in a grid (`grid[r][c]`), white lines between them: images in grey
 * (0..1), label maps in the anatomy palette (background black, LV red, myocardium green, LA blue).
 */
export function tileGridPng(grid: readonly (readonly Tile[])[], rows: number, cols: number): Buffer {
  const across = Math.max(...grid.map((line) => line.length));
  const width = across * cols + (across + 1) * GAP;
  const height = grid.length * rows + (grid.length + 1) * GAP;
  const png = new PNG({ width, height });
  png.data.fill(SEPARATOR);
  grid.forEach((line, r) =>
    line.forEach((tile, c) => {
      const top = GAP + r * (rows + GAP);
      const left = GAP + c * (cols + GAP);
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++) {
          const i = y * cols + x;
          const o = 4 * ((top + y) * width + left + x);
          if (tile.kind === 'image') {
            png.data.fill(Math.round(255 * Math.min(1, Math.max(0, tile.pixels[i]))), o, o + 3);
          } else {
            const [red, green, blue] = LABEL_PALETTE[tile.labels[i]];
            png.data[o] = red;
            png.data[o + 1] = green;
            png.data[o + 2] = blue;
          }
        }
      }
    }),
  );
  return PNG.sync.write(png);
}
