import { promises as fs } from 'fs';
import { PNG } from 'pngjs';
import { UserError } from '../../engine/errors';
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

/** Reads a grayscale PNG (or a colour one whose channels are all equal) as uint8, or uint16 for 16-bit files. */
export function decodePng(buffer: Buffer, file: string): ImageArray {
  let png: PNG & { depth?: number };
  try {
    png = PNG.sync.read(buffer, { skipRescale: true });
  } catch (error) {
    throw new UserError(`${file}: not a readable PNG (${(error as Error).message})`);
  }
  const { width, height } = png;
  const data = png.data as unknown as ArrayLike<number>;
  const out = png.depth === 16 ? new Uint16Array(width * height) : new Uint8Array(width * height);
  for (let k = 0; k < width * height; k++) {
    const r = data[4 * k];
    if (r !== data[4 * k + 1] || r !== data[4 * k + 2]) {
      throw new UserError(`${file}: a colour PNG; cardigan images are single-channel — save it as grayscale`);
    }
    out[k] = r;
  }
  return { dtype: png.depth === 16 ? 'uint16' : 'uint8', shape: [height, width], data: out };
}

export async function readPng(file: string): Promise<ImageArray> {
  return decodePng(await fs.readFile(file), file);
}
