/**
 * A format-neutral image as every reader returns it and every writer takes it: a row-major array
 * [rows, cols] or [frames, rows, cols], the pixel type it was stored with, and the pixel spacing in
 * mm as [row, col]. Readers translate their format's axis conventions (MetaImage and NIfTI list x,
 * the columns, first) into this one so that the rest of cardigan never has to.
 */

export type PixelType = 'uint8' | 'int16' | 'uint16' | 'int32' | 'float32' | 'float64';
export type PixelArray = Uint8Array | Int16Array | Uint16Array | Int32Array | Float32Array | Float64Array;

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

/** Typed array of `count` pixels over a copy of `bytes` (copied so that it is aligned). */
export function pixelsFromBytes(dtype: PixelType, bytes: Uint8Array, count: number): PixelArray {
  const copy = new Uint8Array(count * BYTES_PER_PIXEL[dtype]);
  copy.set(bytes.subarray(0, copy.length));
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

export function pixelTypeOf(data: PixelArray): PixelType {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
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

export function frameCount(image: ImageArray): number {
  return image.shape.length === 3 ? image.shape[0] : 1;
}

/** [rows, cols] of one frame. */
export function frameSize(image: ImageArray): [number, number] {
  const n = image.shape.length;
  return [image.shape[n - 2], image.shape[n - 1]];
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
