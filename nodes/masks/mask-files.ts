import { promises as fs } from 'fs';
import * as path from 'path';
import { exists, UserError } from '../../engine';
import { imageFileType, type ImageFormat, readImage } from '../data/image-file';
import { decodeNpy, decodeNpyHeader } from '../data/npy';
import { readPng } from '../data/png';
import { LABEL_MEANING, type LabelMask, MAX_LABEL } from '../data/label-mask';

/**
 * The one reader of label-map files (0 background, 1 LV, 2 myocardium, 3 LA), for `cardigan metrics`,
 * load-masks and load-camus's masks: .npy (any integer dtype, [H, W] or a stack [N, H, W]), .png
 * (greyscale of any depth, or palette indices), and through the image readers .mhd/.mha and
 * .nii/.nii.gz (2-D, or 2-D + time as a stack), whose headers give the spacing. Every error names the
 * file and says how to fix it.
 */
export interface MaskFile {
  /** One mask, or one per frame of a stack, in file order. */
  masks: LabelMask[];
  /** As stored: [rows, cols] or [count, rows, cols]. */
  shape: number[];
  /** [row, col] in mm when the format records it (MetaImage, NIfTI); undefined for .npy and .png. */
  spacing?: [number, number];
}

/** A single label map with the spacing its file records, if any. */
export type SpacedMask = LabelMask & { spacing?: [number, number] };

export const MASK_FILE_EXTENSIONS_TEXT = '.npy, .png, .mhd, .mha, .nii, .nii.gz';

/** True when the name has an ending the reader claims; other files in a mask folder are ignored. */
export function isMaskFile(file: string): boolean {
  return imageFileType(file) !== undefined;
}

/** The file name without its format's ending (patient0001_2CH_ED_gt.nii.gz → patient0001_2CH_ED_gt). */
export function maskFileStem(file: string): string {
  const name = path.basename(file);
  const ending = imageFileType(name)?.extension ?? path.extname(name);
  return name.slice(0, name.length - ending.length);
}

export async function readMaskFile(file: string): Promise<MaskFile> {
  const type = imageFileType(file);
  if (type === undefined)
    throw new UserError(`${file}: unsupported label-map format "${path.extname(file).toLowerCase()}" (supported: ${MASK_FILE_EXTENSIONS_TEXT})`);
  if (!(await exists(file))) throw new UserError(`${file}: no such file`);
  const values = await readValues(file, type.format);
  const { shape } = values;
  if (shape.length !== 2 && shape.length !== 3) {
    throw new UserError(`${file}: a mask array must be [height, width] or [count, height, width], got shape [${shape.join(', ')}]`);
  }
  const [count, height, width] = shape.length === 2 ? [1, shape[0], shape[1]] : shape;
  const plane = height * width;
  const masks = Array.from({ length: count }, (_, i) => ({
    height,
    width,
    data: toLabels(file, values.data, i * plane, plane, width, shape.length === 3 ? ` of mask ${i}` : ''),
  }));
  // Checked after the values: telling someone to cast 1.5 to an integer would hide that it is no label.
  if (!values.integral)
    throw new UserError(`${file}: dtype ${values.dtype} is not an integer type; save the labels as integers, e.g. ${INTEGER_HINT[type.format]}`);
  return { masks, shape, spacing: values.spacing };
}

/** Exactly one 2-D label map (what `cardigan metrics` scores). */
export async function readLabelMap(file: string): Promise<SpacedMask> {
  const read = await readMaskFile(file);
  if (read.shape.length !== 2)
    throw new UserError(`${file}: expected a 2-D label map [rows, cols], got shape [${read.shape.join(', ')}]; save one image at a time`);
  return { ...read.masks[0], spacing: read.spacing };
}

const INTEGER_HINT: Record<ImageFormat, string> = {
  npy: 'np.save(path, mask.astype(np.uint8))',
  nifti: 'nib.save(nib.Nifti1Image(mask.astype(np.uint8), affine), path)',
  mhd: 'ElementType = MET_UCHAR',
  png: 'an 8-bit greyscale PNG',
};

interface StoredValues {
  data: ArrayLike<number>;
  shape: number[];
  /** The stored type as its format names it (`<f4` in .npy, float32 elsewhere), for messages. */
  dtype: string;
  integral: boolean;
  spacing?: [number, number];
}

async function readValues(file: string, format: ImageFormat): Promise<StoredValues> {
  if (format === 'npy') return readNpyValues(file);
  const image = format === 'png' ? await readPng(file, { labels: true }) : await readImage(file);
  return { data: image.data, shape: image.shape, dtype: image.dtype, integral: !image.dtype.startsWith('float'), spacing: image.spacing };
}

/**
 * .npy as numpy writes label maps: the dtypes cardigan stores without a copy, and any other integer
 * or bool dtype (int64 is numpy's default, big-endian files exist) value by value.
 */
async function readNpyValues(file: string): Promise<StoredValues> {
  const buffer = await fs.readFile(file);
  let header: ReturnType<typeof decodeNpyHeader>;
  try {
    header = decodeNpyHeader(buffer, file);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const { descr, shape, dataOffset } = header;
  const kind = /^([<>|=])([iubf])(\d)$/.exec(descr);
  if (kind === null) throw new UserError(`${file}: dtype ${descr} is not a number type; save the labels as integers, e.g. ${INTEGER_HINT.npy}`);
  const integral = kind[2] !== 'f';
  try {
    return { data: decodeNpy(buffer, file).data, shape, dtype: descr, integral };
  } catch {
    // A dtype decodeNpy does not keep (int8, int64, uint32, bool, big-endian): read each value.
  }
  const width = Number(kind[3]);
  if (![1, 2, 4, 8].includes(width) || (!integral && width < 4))
    throw new UserError(`${file}: dtype ${descr} is not supported; save the labels as integers, e.g. ${INTEGER_HINT.npy}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (buffer.length - dataOffset < count * width) {
    throw new UserError(`${file}: truncated: shape [${shape.join(', ')}] of ${descr} needs ${count * width} bytes, file has ${buffer.length - dataOffset}`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset + dataOffset, count * width);
  const little = kind[1] !== '>';
  const read = npyValueReader(view, kind[2], width, little);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = read(i * width);
  return { data, shape, dtype: descr, integral };
}

function npyValueReader(view: DataView, kind: string, width: number, little: boolean): (offset: number) => number {
  const signed = kind === 'i';
  if (kind === 'f') return width === 8 ? (o) => view.getFloat64(o, little) : (o) => view.getFloat32(o, little);
  switch (width) {
    case 1:
      return signed ? (o) => view.getInt8(o) : (o) => view.getUint8(o);
    case 2:
      return signed ? (o) => view.getInt16(o, little) : (o) => view.getUint16(o, little);
    case 4:
      return signed ? (o) => view.getInt32(o, little) : (o) => view.getUint32(o, little);
    default:
      return signed ? (o) => Number(view.getBigInt64(o, little)) : (o) => Number(view.getBigUint64(o, little));
  }
}

/** One mask's labels from `values[start .. start + length)`, refusing any value that is not 0..3 with its position. */
function toLabels(file: string, values: ArrayLike<number>, start: number, length: number, width: number, where: string): Uint8Array {
  const labels = new Uint8Array(length);
  // A local bound and `| 0` for integrality: no global or module lookup per pixel (slow under jest).
  const largest = MAX_LABEL;
  for (let i = 0; i < length; i++) {
    const value = values[start + i];
    if (!(value >= 0 && value <= largest && (value | 0) === value))
      refuse(file, values, start, length, value, `row ${Math.floor(i / width)}, col ${i % width}${where}`);
    labels[i] = value;
  }
  return labels;
}

function refuse(file: string, values: ArrayLike<number>, start: number, length: number, value: number, position: string): never {
  const seen = new Set<number>();
  for (let i = start; i < start + length && seen.size <= 8; i++) seen.add(values[i]);
  const displayScaled = [...seen].every((v) => v === 0 || v === 85 || v === 170 || v === 255);
  const hint = displayScaled ? ' They look like labels scaled ×85 for display: divide by 85.' : '';
  throw new UserError(`${file}: value ${value} at ${position} is not a label; masks hold ${LABEL_MEANING}.${hint}`);
}
