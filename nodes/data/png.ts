import { promises as fs } from 'fs';
import { PNG } from 'pngjs';
import { UserError } from '../../engine';
import type { ImageArray } from './image';

/**
 * PNG through pngjs: single-channel images (8-bit, or 16-bit kept as uint16) for `image convert`, and
 * RGB pictures for montages and reports. Values are stored as they are — a label map stays 0..3 —
 * so converting to PNG and back is lossless for uint8 data.
 */

/**
 * One fixed row filter ("Up") and zlib level 6 instead of pngjs's defaults (trying all five filters on
 * every row, level 9): several times faster for nearly the same size, which matters for montages.
 */
const ENCODING = { filterType: 2, deflateLevel: 6 };

/** Grayscale PNG of an 8-bit [rows, cols] array. */
export function encodeGrayPng(pixels: Uint8Array, rows: number, cols: number): Buffer {
  const png = new PNG({ width: cols, height: rows, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, rows * cols);
  return PNG.sync.write(png, { ...ENCODING, colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Colour PNG of interleaved RGB bytes [rows, cols, 3]. */
export function encodeRgbPng(rgb: Uint8Array, rows: number, cols: number): Buffer {
  const png = new PNG({ width: cols, height: rows, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, rows * cols * 3);
  return PNG.sync.write(png, { ...ENCODING, colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

export interface DecodePngOptions {
  /**
   * Read a label map: a palette PNG (what PIL writes for mode "P", with colours for viewing) gives its
   * palette indices, and a colour pixel is refused with a hint about masks.
   */
  labels?: boolean;
}

/**
 * Reads a grayscale PNG (or a colour one whose channels are all equal) as uint8, or uint16 for 16-bit
 * files, keeping stored values (a 2-bit PNG of labels 0..3 stays 0..3).
 */
export function decodePng(buffer: Buffer, file: string, options: DecodePngOptions = {}): ImageArray {
  let png: PNG & { depth?: number; palette?: unknown };
  try {
    png = PNG.sync.read(buffer, { skipRescale: true });
  } catch (error) {
    throw new UserError(`${file}: not a readable PNG (${(error as Error).message})`);
  }
  const { width, height } = png;
  const data = png.data as unknown as ArrayLike<number>;
  if (options.labels === true && Array.isArray(png.palette))
    return { dtype: 'uint8', shape: [height, width], data: paletteIndices(data, png.palette as number[][], width * height) };
  const out = png.depth === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  for (let k = 0; k < width * height; k++) {
    const [r, g, b] = [data[4 * k], data[4 * k + 1], data[4 * k + 2]];
    if (r !== g || r !== b) {
      if (options.labels === true) {
        throw new UserError(
          `${file}: colour pixel (${r}, ${g}, ${b}) at row ${Math.floor(k / width)}, col ${k % width}; save masks as greyscale PNGs whose values are the labels 0..3 (or palette PNGs whose indices are)`,
        );
      }
      throw new UserError(`${file}: a colour PNG; cardigan images are single-channel — save it as grayscale`);
    }
    out[k] = r;
  }
  return { dtype: png.depth === 16 ? 'uint16' : 'uint8', shape: [height, width], data: out };
}

/** pngjs expands palette indices to RGBA; each colour maps back to the first index that has it. */
function paletteIndices(rgba: ArrayLike<number>, palette: readonly number[][], count: number): Uint8Array {
  const indexOf = new Map<number, number>();
  palette.forEach(([r, g, b, a], index) => {
    const key = ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
    if (!indexOf.has(key)) indexOf.set(key, index);
  });
  const out = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const key = ((rgba[4 * k] << 24) | (rgba[4 * k + 1] << 16) | (rgba[4 * k + 2] << 8) | rgba[4 * k + 3]) >>> 0;
    // Every expanded colour came from the palette, so the lookup succeeds.
    out[k] = indexOf.get(key) ?? 0;
  }
  return out;
}

export async function readPng(file: string, options: DecodePngOptions = {}): Promise<ImageArray> {
  return decodePng(await fs.readFile(file), file, options);
}
