import type { NpyData, NpyDtype } from './npy';

/**
 * A format-neutral image as every reader returns it and every writer takes it: a row-major array
 * [rows, cols] or [frames, rows, cols], the pixel type it was stored with, and the pixel spacing in
 * mm as [row, col]. Readers translate their format's axis conventions (MetaImage and NIfTI list x,
 * the columns, first) into this one so that the rest of cardigan never has to.
 */

/** The same pixel types as the .npy files cardigan stores. */
export type PixelType = NpyDtype;
export type PixelArray = NpyData;

export interface ImageArray {
  dtype: PixelType;
  /** [rows, cols] or [frames, rows, cols]. */
  shape: number[];
  data: PixelArray;
  /** Pixel spacing in mm as [row, col]; undefined when the format has none (PNG, .npy). */
  spacing?: [number, number];
}

export const BYTES_PER_PIXEL: Record<PixelType, number> = {
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  float32: 4,
  float64: 8,
};

/**
 * Typed array of `count` pixels from file bytes: one copy (so that it is aligned and owns its memory),
 * byte-swapped in place when the file is big-endian.
 */
export function pixelsFromBytes(dtype: PixelType, bytes: Uint8Array, count: number, bigEndian = false): PixelArray {
  const copy = new Uint8Array(count * BYTES_PER_PIXEL[dtype]);
  copy.set(bytes.subarray(0, copy.length));
  if (bigEndian) swapBytes(copy, BYTES_PER_PIXEL[dtype]);
  return viewPixels(dtype, copy.buffer);
}

function viewPixels(dtype: PixelType, buffer: ArrayBuffer): PixelArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    case 'uint16':
      return new Uint16Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
  }
}

/** Reverses the byte order of every element in place (big-endian files). */
export function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const tmp = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = tmp;
    }
  }
}

/** The little-endian bytes of an array, without copying. */
export function pixelBytes(data: PixelArray): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** One frame of a sequence (or the image itself), as a view without copying. */
export function frameOf(image: ImageArray, index: number): ImageArray {
  if (image.shape.length === 2) {
    if (index !== 0) throw new Error(`frame ${index} requested from a single 2-D image`);
    return image;
  }
  const [frames, rows, cols] = image.shape;
  if (index < 0 || index >= frames) throw new Error(`frame ${index} is out of range (the sequence has ${frames} frames)`);
  const size = rows * cols;
  return { dtype: image.dtype, shape: [rows, cols], data: image.data.subarray(index * size, (index + 1) * size), spacing: image.spacing };
}

export function pixelCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
