import { PNG } from 'pngjs';

/**
 * A PNG grid of label maps in the 4-class palette, for the filter's rejected examples. Deliberately
 * minimal and self-contained so that it can be swapped for the shared montage module (nodes/data/
 * montage.ts) once that exists.
 */

/** Background, LV, myocardium, LA as RGB. */
export const LABEL_PALETTE: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [220, 50, 47],
  [133, 153, 0],
  [38, 139, 210],
];

/** Grid lines between tiles. */
const SEPARATOR: readonly [number, number, number] = [255, 255, 255];
const GAP = 2;
/** Tiles are shrunk (nearest neighbour) so that their longer side is at most this many pixels. */
const MAX_TILE = 128;

export function maskGridPng(masks: readonly Uint8Array[], rows: number, cols: number): Buffer {
  if (masks.length === 0) throw new Error('maskGridPng: no masks to draw');
  const scale = Math.min(1, MAX_TILE / Math.max(rows, cols));
  const tileRows = Math.max(1, Math.round(rows * scale));
  const tileCols = Math.max(1, Math.round(cols * scale));
  const across = Math.ceil(Math.sqrt(masks.length));
  const down = Math.ceil(masks.length / across);
  const png = new PNG({ width: across * tileCols + (across + 1) * GAP, height: down * tileRows + (down + 1) * GAP });
  for (let i = 0; i < png.data.length; i += 4) {
    [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]] = [...SEPARATOR, 255];
  }
  masks.forEach((mask, index) => {
    const top = GAP + Math.floor(index / across) * (tileRows + GAP);
    const left = GAP + (index % across) * (tileCols + GAP);
    for (let r = 0; r < tileRows; r++) {
      const sourceRow = Math.min(rows - 1, Math.floor((r * rows) / tileRows));
      for (let c = 0; c < tileCols; c++) {
        const sourceCol = Math.min(cols - 1, Math.floor((c * cols) / tileCols));
        const [red, green, blue] = LABEL_PALETTE[mask[sourceRow * cols + sourceCol]] ?? SEPARATOR;
        const o = 4 * ((top + r) * png.width + left + c);
        png.data[o] = red;
        png.data[o + 1] = green;
        png.data[o + 2] = blue;
        png.data[o + 3] = 255;
      }
    }
  });
  return PNG.sync.write(png);
}
