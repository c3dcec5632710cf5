import { promises as fs } from 'fs';
import { promisify } from 'util';
import * as zlib from 'zlib';
import { UserError } from '../../engine';
import { BYTES_PER_PIXEL, type ImageArray, type PixelArray, type PixelType, pixelBytes, pixelsFromBytes } from './image';

/**
 * NIfTI-1 single-file images (`.nii`, `.nii.gz`), the format of the 2023 CAMUS release.
 *
 * Axis convention: the first voxel axis (i, `dim[1]`) varies fastest in the file, as in MetaImage, and
 * is the columns; `dim[2]` is the rows; `dim[3]` (or `dim[4]` when `dim[3]` is 1) the frames. That is
 * how SimpleITK (the CAMUS tooling) reads these files. nibabel indexes the same data as `[i, j]`, i.e.
 * [cols, rows]: the transpose of what SimpleITK and cardigan show, which is why CAMUS NIfTI files look
 * transposed next to the MetaImage ones in nibabel. Like SimpleITK, cardigan never flips an axis; it
 * only swaps rows and columns when the sform (or else the qform) maps voxel axis i to the world's y
 * axis and j to x, so that rows always follow world y.
 */

const DATATYPES: Record<number, PixelType> = { 2: 'uint8', 4: 'int16', 8: 'int32', 16: 'float32', 64: 'float64', 512: 'uint16' };
const DATATYPE_CODES = Object.fromEntries(Object.entries(DATATYPES).map(([code, type]) => [type, Number(code)])) as Record<PixelType, number>;
const HEADER_SIZE = 348;
/** Header plus the 4-byte extension flag: where single-file data starts when there are no extensions. */
const DATA_OFFSET = 352;

export interface NiftiHeader {
  dims: number[];
  pixdim: number[];
  datatype: number;
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  /** Voxel-to-world 3×3 part of the transform in use (sform, else qform, else pixdim). */
  axes: number[][];
  bigEndian: boolean;
}

// zlib's callback forms run on libuv's thread pool: decompressing one file overlaps other work.
const gunzip = promisify(zlib.gunzip);
const gzip = promisify(zlib.gzip);

function isGzip(content: Buffer): boolean {
  return content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b;
}

function corruptGzip(file: string, error: unknown): UserError {
  return new UserError(`${file}: corrupt gzip data (${(error as Error).message}); the file is damaged — extract or download it again`);
}

function gunzipIfNeeded(content: Buffer, file: string): Buffer {
  if (!isGzip(content)) return content;
  try {
    return zlib.gunzipSync(content);
  } catch (error) {
    throw corruptGzip(file, error);
  }
}

function quaternionAxes(b: number, c: number, d: number, pixdim: number[]): number[][] {
  const a = Math.sqrt(Math.max(0, 1 - b * b - c * c - d * d));
  const qfac = pixdim[0] < 0 ? -1 : 1;
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - b * b - c * c],
  ];
  const scale = [pixdim[1] || 1, pixdim[2] || 1, qfac * (pixdim[3] || 1)];
  return r.map((row) => row.map((value, col) => value * scale[col]));
}

export function parseNiftiHeader(buffer: Buffer, file: string): NiftiHeader {
  if (buffer.length < HEADER_SIZE) throw new UserError(`${file}: not a NIfTI-1 file (only ${buffer.length} bytes, a header needs ${HEADER_SIZE})`);
  const littleSize = buffer.readInt32LE(0);
  const bigSize = buffer.readInt32BE(0);
  if (littleSize !== HEADER_SIZE && bigSize !== HEADER_SIZE) {
    throw new UserError(`${file}: not a NIfTI-1 file (sizeof_hdr is ${littleSize}, expected 348)`);
  }
  const magic = buffer.subarray(344, 348).toString('latin1');
  if (magic === 'ni1\0') throw new UserError(`${file}: a two-file NIfTI (.hdr/.img) header; save it as a single .nii or .nii.gz`);
  if (magic !== 'n+1\0') {
    throw new UserError(`${file}: bad NIfTI magic ${JSON.stringify(magic)} (expected "n+1"); the file is not NIfTI-1 or is damaged`);
  }
  const bigEndian = littleSize !== HEADER_SIZE;
  const i16 = (offset: number) => (bigEndian ? buffer.readInt16BE(offset) : buffer.readInt16LE(offset));
  const f32 = (offset: number) => (bigEndian ? buffer.readFloatBE(offset) : buffer.readFloatLE(offset));
  const dims = Array.from({ length: 8 }, (_, k) => i16(40 + 2 * k));
  const pixdim = Array.from({ length: 8 }, (_, k) => f32(76 + 4 * k));
  const qformCode = i16(252);
  const sformCode = i16(254);
  let axes: number[][];
  if (sformCode > 0) {
    axes = [0, 1, 2].map((row) => [0, 1, 2].map((col) => f32(280 + 16 * row + 4 * col)));
  } else if (qformCode > 0) {
    axes = quaternionAxes(f32(256), f32(260), f32(264), pixdim);
  } else {
    axes = [0, 1, 2].map((row) => [0, 1, 2].map((col) => (row === col ? pixdim[col + 1] || 1 : 0)));
  }
  return {
    dims,
    pixdim,
    datatype: i16(70),
    voxOffset: f32(108),
    sclSlope: f32(112),
    sclInter: f32(116),
    qformCode,
    sformCode,
    axes,
    bigEndian,
  };
}

/** True when voxel axis i points mostly along world y and j along world x. */
function axesSwapped(axes: number[][]): boolean {
  const i = [Math.abs(axes[0][0]), Math.abs(axes[1][0])];
  const j = [Math.abs(axes[0][1]), Math.abs(axes[1][1])];
  return i[1] > i[0] && j[0] > j[1];
}

function transposeFrames(data: PixelArray, frames: number, rows: number, cols: number): PixelArray {
  const out = data.slice();
  for (let f = 0; f < frames; f++) {
    const base = f * rows * cols;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[base + c * rows + r] = data[base + r * cols + c];
  }
  return out;
}

/** The shortest decimal that is stored as this float32 (0.154 rather than 0.15399999916553497). */
function shortestFloat32(value: number): number {
  for (let digits = 1; digits < 10; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

export function decodeNifti(content: Buffer, file: string): ImageArray {
  const buffer = gunzipIfNeeded(content, file);
  const header = parseNiftiHeader(buffer, file);
  const ndim = header.dims[0];
  const dims = header.dims.slice(1, 1 + Math.max(0, ndim));
  if (ndim < 2 || ndim > 4 || dims.some((d) => d < 1))
    throw new UserError(`${file}: dim = [${header.dims.join(', ')}]; cardigan reads 2-D images and 2-D+time sequences`);
  const [nx, ny] = dims;
  const extra = dims.slice(2).filter((d) => d > 1);
  if (extra.length > 1) throw new UserError(`${file}: a ${ndim}-D volume [${dims.join(', ')}]; cardigan reads 2-D images and 2-D+time sequences`);
  const frames = extra[0];
  const stored = DATATYPES[header.datatype];
  if (stored === undefined) {
    throw new UserError(`${file}: NIfTI datatype ${header.datatype} is not supported (use uint8, int16, uint16, int32, float32 or float64)`);
  }
  const count = nx * ny * (frames ?? 1);
  const width = BYTES_PER_PIXEL[stored];
  const offset = Math.max(DATA_OFFSET, Math.round(header.voxOffset));
  const available = buffer.length - offset;
  if (available < count * width) {
    throw new UserError(
      `${file}: truncated: dim [${dims.join(', ')}] ${stored} needs ${count * width} bytes of data, the file has ${Math.max(0, available)} — extract or download it again`,
    );
  }
  let data = pixelsFromBytes(stored, buffer.subarray(offset, offset + count * width), count, header.bigEndian);
  let dtype = stored;
  // scl_slope 0 means "no scaling" in NIfTI-1; anything else is applied as nibabel and ITK do.
  if (header.sclSlope !== 0 && Number.isFinite(header.sclSlope) && (header.sclSlope !== 1 || header.sclInter !== 0)) {
    const scaled = new Float32Array(count);
    for (let k = 0; k < count; k++) scaled[k] = data[k] * header.sclSlope + (Number.isFinite(header.sclInter) ? header.sclInter : 0);
    data = scaled;
    dtype = 'float32';
  }
  let rows = ny;
  let cols = nx;
  let spacing: [number, number] = [shortestFloat32(Math.abs(header.pixdim[2]) || 1), shortestFloat32(Math.abs(header.pixdim[1]) || 1)];
  if (axesSwapped(header.axes)) {
    data = transposeFrames(data, frames ?? 1, ny, nx);
    rows = nx;
    cols = ny;
    spacing = [spacing[1], spacing[0]];
  }
  return { dtype, shape: frames === undefined ? [rows, cols] : [frames, rows, cols], data, spacing };
}

export async function readNifti(file: string): Promise<ImageArray> {
  let content = await fs.readFile(file);
  if (isGzip(content)) {
    try {
      content = await gunzip(content);
    } catch (error) {
      throw corruptGzip(file, error);
    }
  }
  return decodeNifti(content, file);
}

/** A single-file NIfTI-1 image: sform = qform = diag(col spacing, row spacing, 1), units mm. */
export function encodeNifti(image: ImageArray): Buffer {
  const [rows, cols] = image.shape.slice(-2);
  const frames = image.shape.length === 3 ? image.shape[0] : 1;
  const [rowSpacing, colSpacing] = image.spacing ?? [1, 1];
  const header = Buffer.alloc(DATA_OFFSET);
  header.writeInt32LE(HEADER_SIZE, 0);
  const dims = [image.shape.length, cols, rows, frames, 1, 1, 1, 1];
  dims.forEach((d, k) => header.writeInt16LE(d, 40 + 2 * k));
  header.writeInt16LE(DATATYPE_CODES[image.dtype], 70);
  header.writeInt16LE(8 * BYTES_PER_PIXEL[image.dtype], 72);
  const pixdim = [1, colSpacing, rowSpacing, 1, 1, 0, 0, 0];
  pixdim.forEach((p, k) => header.writeFloatLE(p, 76 + 4 * k));
  header.writeFloatLE(DATA_OFFSET, 108);
  header.writeFloatLE(1, 112);
  header.writeFloatLE(0, 116);
  header.writeUInt8(2, 123); // xyzt_units: NIFTI_UNITS_MM
  header.writeInt16LE(1, 252); // qform_code: scanner
  header.writeInt16LE(1, 254); // sform_code: scanner
  // Identity quaternion (b = c = d = 0) with zero offsets; srow rows are the sform's affine.
  const srow = [
    [colSpacing, 0, 0, 0],
    [0, rowSpacing, 0, 0],
    [0, 0, 1, 0],
  ];
  srow.forEach((row, r) => row.forEach((value, c) => header.writeFloatLE(value, 280 + 16 * r + 4 * c)));
  header.write('n+1\0', 344, 'latin1');
  return Buffer.concat([header, pixelBytes(image.data)]);
}

export interface NiftiWriteOptions {
  /** gzip settings for `.nii.gz` (default level 6). */
  gzip?: zlib.ZlibOptions;
}

export async function writeNifti(file: string, image: ImageArray, options: NiftiWriteOptions = {}): Promise<void> {
  const encoded = encodeNifti(image);
  const compressed = file.toLowerCase().endsWith('.gz');
  await fs.writeFile(file, compressed ? await gzip(encoded, { level: 6, ...options.gzip }) : encoded);
}
