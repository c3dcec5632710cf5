import { promises as fs } from 'fs';
import { exists, UserError } from '../../engine';
import type { ImageArray, PixelArray } from './image';
import { decodeNpy, encodeNpy } from './npy';
import { encodeGrayPng, readPng } from './png';
import { readMetaImage, writeMetaImage } from './mhd';
import { readNifti, writeNifti } from './nifti';

/**
 * Reading and writing an image by its file extension: .mhd/.mha (MetaImage), .nii/.nii.gz (NIfTI-1),
 * .npy (NumPy; no spacing) and .png (8/16-bit grayscale; no spacing). Used by `cardigan image` and by
 * anything that accepts "an image file".
 */

export type ImageFormat = 'mhd' | 'nifti' | 'npy' | 'png';

/** Lower-case file name endings of each format, longest first where one ends another (.nii.gz, .nii). */
const EXTENSIONS: ReadonlyArray<readonly [string, ImageFormat]> = [
  ['.mhd', 'mhd'],
  ['.mha', 'mhd'],
  ['.nii.gz', 'nifti'],
  ['.nii', 'nifti'],
  ['.npy', 'npy'],
  ['.png', 'png'],
];

/** The endings cardigan reads, for messages: ".mhd, .mha, .nii, .nii.gz, .npy or .png". */
export const IMAGE_EXTENSIONS_TEXT = '.mhd, .mha, .nii, .nii.gz, .npy or .png';

/** The format and the ending that names it, or undefined for a file no reader claims. */
export function imageFileType(file: string): { format: ImageFormat; extension: string } | undefined {
  const name = file.toLowerCase();
  const match = EXTENSIONS.find(([extension]) => name.endsWith(extension));
  return match === undefined ? undefined : { format: match[1], extension: match[0] };
}

export function formatOf(file: string): ImageFormat {
  const type = imageFileType(file);
  if (type === undefined) throw new UserError(`${file}: unknown image format; use ${IMAGE_EXTENSIONS_TEXT}`);
  return type.format;
}

export async function readImage(file: string): Promise<ImageArray> {
  const format = formatOf(file);
  if (!(await exists(file))) throw new UserError(`${file}: no such file`);
  switch (format) {
    case 'mhd':
      return readMetaImage(file);
    case 'nifti':
      return readNifti(file);
    case 'png':
      return readPng(file);
    case 'npy': {
      let array: ReturnType<typeof decodeNpy>;
      try {
        array = decodeNpy(await fs.readFile(file), file);
      } catch (error) {
        throw new UserError((error as Error).message);
      }
      if (array.shape.length !== 2 && array.shape.length !== 3) {
        throw new UserError(`${file}: a ${array.shape.length}-D array [${array.shape.join(', ')}]; images are [rows, cols] or [frames, rows, cols]`);
      }
      return { dtype: array.dtype, shape: array.shape, data: array.data };
    }
  }
}

/** 8-bit pixels for PNG: integer data already in 0..255 as is, floats in 0..1 scaled to 0..255. */
function toUint8(data: PixelArray, file: string): Uint8Array {
  let min = Infinity;
  let max = -Infinity;
  let integral = true;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (data instanceof Uint8Array) return data;
  if (integral && min >= 0 && max <= 255) return Uint8Array.from(data);
  if ((data instanceof Float32Array || data instanceof Float64Array) && min >= 0 && max <= 1) {
    return Uint8Array.from(data, (v) => Math.round(v * 255));
  }
  throw new UserError(`${file}: PNG holds 8-bit values but the image ranges over ${min}..${max}; write .npy, .nii.gz or .mhd to keep them`);
}

export interface WriteImageOptions {
  /** Compression level for .nii.gz and compressed MetaImage (default 6). */
  level?: number;
  /** zlib strategy for .nii.gz (e.g. Z_RLE, fast on images with large uniform areas). */
  strategy?: number;
  /** Compress MetaImage data (CompressedData = True). */
  compress?: boolean;
}

export async function writeImage(file: string, image: ImageArray, options: WriteImageOptions = {}): Promise<void> {
  switch (formatOf(file)) {
    case 'mhd':
      return writeMetaImage(file, image, { compress: options.compress, level: options.level });
    case 'nifti':
      return writeNifti(file, image, { gzip: { level: options.level ?? 6, strategy: options.strategy } });
    case 'npy':
      return fs.writeFile(file, encodeNpy(image.data, image.shape));
    case 'png': {
      if (image.shape.length !== 2) {
        throw new UserError(
          `${file}: PNG holds one 2-D image but this one has ${image.shape[0]} frames; pick one with --frame N, or write .nii.gz, .mhd or .npy`,
        );
      }
      const [rows, cols] = image.shape;
      return fs.writeFile(file, encodeGrayPng(toUint8(image.data, file), rows, cols));
    }
  }
}
