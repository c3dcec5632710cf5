import { promises as fs } from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import { UserError } from '../../engine/errors';
import { decodeNpyHeader } from '../data/npy';

/**
 * Reads one 2-D label map (0 background, 1 LV, 2 myocardium, 3 LA) from a file, whatever its format.
 * This is the one place `cardigan metrics` (and anything else that scores a mask file) reads files,
 * so adding a format (MHD, NIfTI: their headers carry the spacing) means adding one branch here.
 */
export interface LabelMap {
  /** Row-major labels 0..3. */
  labels: Uint8Array;
  rows: number;
  cols: number;
  /** [row, col] pixel spacing in mm when the format records it; undefined for .npy and .png. */
  spacing?: [number, number];
}

export const MAX_LABEL = 3;

const LABEL_HINT = 'label values must be 0 background, 1 LV, 2 myocardium, 3 LA';

export async function readLabelMap(file: string): Promise<LabelMap> {
  let buffer: Buffer;
  try {
    buffer = await fs.readFile(file);
  } catch (error) {
    throw new UserError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const extension = path.extname(file).toLowerCase();
  switch (extension) {
    case '.npy':
      return decodeNpyLabels(buffer, file);
    case '.png':
      return decodePngLabels(buffer, file);
    default:
      throw new UserError(`${file}: unsupported label-map format "${extension}" (supported: .npy, .png)`);
  }
}

/** .npy: a 2-D array of any integer (or bool) dtype, either byte order. */
export function decodeNpyLabels(buffer: Buffer, file: string): LabelMap {
  let header;
  try {
    header = decodeNpyHeader(buffer, file);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  const { descr, shape, dataOffset } = header;
  const dtype = /^([<>|=])([iub])(\d)$/.exec(descr);
  if (dtype === null || !['1', '2', '4', '8'].includes(dtype[3])) {
    throw new UserError(`${file}: dtype ${descr} is not an integer type; save the labels as integers, e.g. np.save(path, mask.astype(np.uint8))`);
  }
  if (shape.length !== 2) {
    throw new UserError(`${file}: expected a 2-D label map [rows, cols], got shape [${shape.join(', ')}]; save one image at a time`);
  }
  const [rows, cols] = shape;
  const width = Number(dtype[3]);
  const littleEndian = dtype[1] !== '>';
  const signed = dtype[2] === 'i';
  const count = rows * cols;
  if (buffer.length - dataOffset < count * width) {
    throw new UserError(`${file}: truncated: shape [${rows}, ${cols}] of ${descr} needs ${count * width} bytes, file has ${buffer.length - dataOffset}`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset + dataOffset, count * width);
  const read: (offset: number) => number | bigint = {
    1: (o: number) => (signed ? view.getInt8(o) : view.getUint8(o)),
    2: (o: number) => (signed ? view.getInt16(o, littleEndian) : view.getUint16(o, littleEndian)),
    4: (o: number) => (signed ? view.getInt32(o, littleEndian) : view.getUint32(o, littleEndian)),
    8: (o: number) => (signed ? view.getBigInt64(o, littleEndian) : view.getBigUint64(o, littleEndian)),
  }[width as 1 | 2 | 4 | 8];
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const value = Number(read(i * width));
    if (!(value >= 0 && value <= MAX_LABEL)) throw badLabel(file, value, i, cols);
    labels[i] = value;
  }
  return { labels, rows, cols };
}

/** .png: 8-bit greyscale whose grey level is the label, or a palette image whose index is the label. */
export function decodePngLabels(buffer: Buffer, file: string): LabelMap {
  let png;
  try {
    png = PNG.sync.read(buffer);
  } catch (error) {
    throw new UserError(`${file}: not a readable PNG (${(error as Error).message})`);
  }
  const { width: cols, height: rows, data } = png;
  const labels = new Uint8Array(rows * cols);
  if (png.palette) {
    // pngjs expands palette indices to colours; map each colour back to its index.
    const entries = (png as unknown as { palette: number[][] }).palette;
    const indexOf = new Map<number, number>();
    entries.forEach(([r, g, b], index) => {
      const key = (r << 16) | (g << 8) | b;
      if (!indexOf.has(key)) indexOf.set(key, index);
    });
    for (let i = 0; i < labels.length; i++) {
      // Every expanded colour came from the palette, so the lookup always succeeds.
      const value = indexOf.get((data[4 * i] << 16) | (data[4 * i + 1] << 8) | data[4 * i + 2]) ?? 0;
      if (value > MAX_LABEL) throw badLabel(file, value, i, cols, 'palette index ');
      labels[i] = value;
    }
    return { labels, rows, cols };
  }
  if (png.color || png.depth !== 8) {
    const kind = png.color ? 'colour' : `${png.depth}-bit`;
    throw new UserError(`${file}: a ${kind} PNG is not a label map; save an 8-bit greyscale PNG whose grey levels are the labels 0..3`);
  }
  for (let i = 0; i < labels.length; i++) {
    const value = data[4 * i];
    if (value > MAX_LABEL) throw badLabel(file, value, i, cols, 'grey level ');
    labels[i] = value;
  }
  return { labels, rows, cols };
}

function badLabel(file: string, value: number, index: number, cols: number, what = 'value '): UserError {
  const row = Math.floor(index / cols);
  const col = index % cols;
  return new UserError(`${file}: ${what}${value} at row ${row}, col ${col}: ${LABEL_HINT}; if the mask was scaled for viewing (e.g. 0, 85, 170, 255), save the raw labels instead`);
}
