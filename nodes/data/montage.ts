import { drawText, GLYPH_HEIGHT, textWidth } from './font';
import { encodeRgbPng } from './png';
import { resizeBilinear, resizeNearest } from './resample';

// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { floor, max, min, round } = Math;

/**
 * PNG grids of labelled tiles: rows of images, masks and overlays (mask | real | generated, previews of
 * a dataset, a cohort's montage). Masks are coloured with one fixed palette everywhere in cardigan so
 * that a colour means the same structure in every picture.
 */

export type Rgb = readonly [number, number, number];

/** 0 background, 1 LV cavity, 2 myocardium, 3 left atrium (Okabe–Ito colours, readable by colour-blind readers). */
export const MASK_PALETTE: readonly Rgb[] = [
  [0, 0, 0],
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
];
/** Any label outside 0..3 shows in magenta, so a corrupt mask is visible rather than hidden. */
export const INVALID_LABEL_COLOUR: Rgb = [255, 0, 255];

interface TileBase {
  rows: number;
  cols: number;
  /** Physical height/width of one pixel (row spacing / col spacing); 1 by default. */
  pixelAspect?: number;
  /** Caption drawn under the tile. */
  caption?: string;
}

export type MontageTile =
  | (TileBase & { kind: 'image' /** Intensities in 0..1. */; pixels: ArrayLike<number> })
  | (TileBase & { kind: 'mask'; labels: ArrayLike<number> })
  | (TileBase & { kind: 'overlay'; pixels: ArrayLike<number>; labels: ArrayLike<number> /** Mask opacity, default 0.4. */; alpha?: number });

export interface MontageRow {
  /** Drawn left of the row. */
  label?: string;
  tiles: MontageTile[];
}

export interface MontageOptions {
  /** Side of the square box each tile is fitted into, in pixels (default 160). */
  tileSize?: number;
  /** Drawn above the grid. */
  title?: string;
  /** One per tile column, drawn above the first row. */
  columnTitles?: string[];
}

export interface RgbPicture {
  rgb: Uint8Array;
  width: number;
  height: number;
}

const GAP = 6;
const TEXT: Rgb = [235, 235, 235];
const BACKGROUND = 24;

function labelColour(label: number): Rgb {
  return MASK_PALETTE[label] ?? INVALID_LABEL_COLOUR;
}

/** A caption that fits under its tile: the end of a long one (ids differ at their end), after "..". */
function fitCaption(caption: string, box: number, scale: number): string {
  if (textWidth(caption, scale) <= box) return caption;
  let kept = caption;
  while (kept.length > 0 && textWidth(`..${kept}`, scale) > box) kept = kept.slice(1);
  return `..${kept}`;
}

/** Fits a tile into a square box, keeping its physical aspect ratio. */
function fittedSize(tile: MontageTile, box: number): [number, number] {
  const aspect = (tile.rows * (tile.pixelAspect ?? 1)) / tile.cols;
  return aspect >= 1 ? [box, max(1, round(box / aspect))] : [max(1, round(box * aspect)), box];
}

function paintTile(picture: RgbPicture, tile: MontageTile, x0: number, y0: number, box: number): void {
  const [h, w] = fittedSize(tile, box);
  const offsetX = x0 + floor((box - w) / 2);
  const offsetY = y0 + floor((box - h) / 2);
  const gray = tile.kind === 'mask' ? undefined : resizeBilinear(tile.pixels, tile.rows, tile.cols, h, w);
  const labels = tile.kind === 'image' ? undefined : resizeNearest(tile.labels, tile.rows, tile.cols, h, w);
  const alpha = tile.kind === 'overlay' ? (tile.alpha ?? 0.4) : 1;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const k = r * w + c;
      const base = gray === undefined ? 0 : round(255 * min(1, max(0, gray[k])));
      const p = 3 * ((offsetY + r) * picture.width + offsetX + c);
      const coloured = labels !== undefined && (tile.kind === 'mask' || labels[k] !== 0);
      const colour = coloured ? labelColour(labels[k]) : undefined;
      for (let ch = 0; ch < 3; ch++) {
        picture.rgb[p + ch] = colour === undefined ? base : round(base * (1 - alpha) + colour[ch] * alpha);
      }
    }
  }
}

/** Lays the rows out on a dark background with captions and returns the RGB picture. */
export function renderMontage(rows: readonly MontageRow[], options: MontageOptions = {}): RgbPicture {
  const box = options.tileSize ?? 160;
  const scale = box >= 128 ? 2 : 1;
  const lineHeight = (GLYPH_HEIGHT + 3) * scale;
  const columns = max(1, ...rows.map((row) => row.tiles.length));
  const labelWidth = max(0, ...rows.map((row) => textWidth(row.label ?? '', scale)));
  const left = GAP + (labelWidth > 0 ? labelWidth + GAP : 0);
  const hasCaptions = rows.some((row) => row.tiles.some((tile) => tile.caption !== undefined));
  const titleHeight = options.title === undefined ? 0 : lineHeight + GAP;
  const headerHeight = options.columnTitles === undefined ? 0 : lineHeight;
  const rowHeight = box + (hasCaptions ? lineHeight : 0) + GAP;
  const width = left + columns * (box + GAP);
  const height = GAP + titleHeight + headerHeight + rows.length * rowHeight;
  const picture: RgbPicture = { rgb: new Uint8Array(width * height * 3).fill(BACKGROUND), width, height };
  if (options.title !== undefined) drawText(picture.rgb, width, height, options.title, GAP, GAP, TEXT, scale);
  const top = GAP + titleHeight + headerHeight;
  options.columnTitles?.forEach((title, c) => {
    const x = left + c * (box + GAP) + max(0, floor((box - textWidth(title, scale)) / 2));
    drawText(picture.rgb, width, height, title, x, GAP + titleHeight, TEXT, scale);
  });
  rows.forEach((row, r) => {
    const y = top + r * rowHeight;
    if (row.label !== undefined) drawText(picture.rgb, width, height, row.label, GAP, y + floor(box / 2) - 4 * scale, TEXT, scale);
    row.tiles.forEach((tile, c) => {
      const x = left + c * (box + GAP);
      paintTile(picture, tile, x, y, box);
      if (tile.caption !== undefined) {
        const caption = fitCaption(tile.caption, box, scale);
        const captionX = x + max(0, floor((box - textWidth(caption, scale)) / 2));
        drawText(picture.rgb, width, height, caption, captionX, y + box + 2 * scale, TEXT, scale);
      }
    });
  });
  return picture;
}

export function montagePng(rows: readonly MontageRow[], options: MontageOptions = {}): Buffer {
  const picture = renderMontage(rows, options);
  return encodeRgbPng(picture.rgb, picture.height, picture.width);
}

export interface MaskGridOptions {
  /** One per mask, drawn under it (e.g. the item id). */
  captions?: readonly string[];
  title?: string;
  /** Tile box side; default the mask's longer side within 64..160, so small masks show pixel for pixel. */
  tileSize?: number;
}

/** Masks of one size as a near-square grid of tiles (rejected examples, samples from a model). */
export function maskGridPng(masks: readonly ArrayLike<number>[], rows: number, cols: number, options: MaskGridOptions = {}): Buffer {
  if (masks.length === 0) throw new Error('maskGridPng: no masks to draw');
  const across = Math.ceil(Math.sqrt(masks.length));
  const grid: MontageRow[] = [];
  for (let start = 0; start < masks.length; start += across) {
    grid.push({
      tiles: masks.slice(start, start + across).map((labels, k) => ({ kind: 'mask' as const, labels, rows, cols, caption: options.captions?.[start + k] })),
    });
  }
  return montagePng(grid, { tileSize: options.tileSize ?? min(160, max(64, rows, cols)), title: options.title });
}
