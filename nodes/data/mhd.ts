import { promises as fs } from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import * as zlib from 'zlib';
import { UserError } from '../../engine';
import { BYTES_PER_PIXEL, type ImageArray, type PixelType, pixelBytes, pixelCount, pixelsFromBytes } from './image';

/**
 * MetaImage (`.mhd` header + `.raw` data, or `.mha` with the data inline), the format of the original
 * CAMUS release. `DimSize` and `ElementSpacing` list x (columns) first, and the data is stored with x
 * varying fastest, so a header `DimSize = 590 973` is 973 rows × 590 columns whose bytes are already
 * in row-major [rows, cols] order; only the spacing needs reversing to cardigan's [row, col].
 */

const ELEMENT_TYPES: Record<string, PixelType> = {
  MET_UCHAR: 'uint8',
  MET_SHORT: 'int16',
  MET_USHORT: 'uint16',
  MET_INT: 'int32',
  MET_FLOAT: 'float32',
  MET_DOUBLE: 'float64',
};

// zlib's callback forms run on libuv's thread pool, so (de)compression overlaps other work.
const unzip = promisify(zlib.unzip);
const deflate = promisify(zlib.deflate);

const TYPE_NAMES = Object.fromEntries(Object.entries(ELEMENT_TYPES).map(([name, type]) => [type, name])) as Record<PixelType, string>;

export interface MhdHeader {
  /** Keys as written, values as strings, in file order. */
  fields: Map<string, string>;
  dims: number[];
  /** In the file's order: x (column) first. */
  elementSpacing: number[];
  dtype: PixelType;
  bigEndian: boolean;
  compressed: boolean;
  /** Absolute path of the data file, or undefined for `LOCAL` (inline data). */
  dataFile: string | undefined;
  /** Byte offset of inline data (for LOCAL), or of HeaderSize within the data file; -1 means "the last bytes". */
  dataOffset: number;
}

function field(fields: Map<string, string>, key: string): string | undefined {
  for (const [name, value] of fields) if (name.toLowerCase() === key.toLowerCase()) return value;
  return undefined;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1)$/i.test(value.trim());
}

function numbers(file: string, key: string, value: string | undefined, count?: number): number[] {
  if (value === undefined) throw new UserError(`${file}: MetaImage header has no ${key}`);
  const list = value.trim().split(/\s+/).map(Number);
  if (list.some((n) => !Number.isFinite(n)) || (count !== undefined && list.length !== count)) {
    throw new UserError(`${file}: ${key} = ${value} should be ${count ?? 'a list of'} numbers`);
  }
  return list;
}

/** Parses the text header; `headerBytes` is where inline data starts for `ElementDataFile = LOCAL`. */
export function parseMhdHeader(text: string, file: string): MhdHeader {
  const fields = new Map<string, string>();
  let headerBytes = 0;
  for (const line of text.split('\n')) {
    headerBytes += Buffer.byteLength(line, 'latin1') + 1;
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) throw new UserError(`${file}: MetaImage header line "${trimmed.slice(0, 60)}" is not "Key = Value"`);
    const key = trimmed.slice(0, eq).trim();
    fields.set(key, trimmed.slice(eq + 1).trim());
    // The data file entry ends the header; inline data follows it.
    if (key.toLowerCase() === 'elementdatafile') break;
  }
  const ndims = numbers(file, 'NDims', field(fields, 'NDims'), 1)[0];
  if (ndims !== 2 && ndims !== 3) throw new UserError(`${file}: NDims = ${ndims}; cardigan reads 2-D images and 3-D sequences`);
  const dims = numbers(file, 'DimSize', field(fields, 'DimSize'), ndims);
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) throw new UserError(`${file}: DimSize = ${field(fields, 'DimSize')} must be positive integers`);
  const spacingText = field(fields, 'ElementSpacing') ?? field(fields, 'ElementSize');
  const elementSpacing = spacingText === undefined ? dims.map(() => 1) : numbers(file, 'ElementSpacing', spacingText, ndims);
  const typeName = field(fields, 'ElementType');
  if (typeName === undefined) throw new UserError(`${file}: MetaImage header has no ElementType`);
  const dtype = ELEMENT_TYPES[typeName.toUpperCase()];
  if (dtype === undefined) {
    throw new UserError(
      `${file}: unknown ElementType ${typeName}; cardigan reads ${Object.keys(ELEMENT_TYPES).join(', ')} (re-save the image with one of them)`,
    );
  }
  const channels = field(fields, 'ElementNumberOfChannels');
  if (channels !== undefined && Number(channels) !== 1) {
    throw new UserError(`${file}: ElementNumberOfChannels = ${channels}; cardigan reads single-channel images`);
  }
  const binary = field(fields, 'BinaryData');
  if (binary !== undefined && !isTrue(binary)) throw new UserError(`${file}: BinaryData = ${binary}; ASCII MetaImage data is not supported`);
  const dataName = field(fields, 'ElementDataFile');
  if (dataName === undefined) throw new UserError(`${file}: MetaImage header has no ElementDataFile (it must be the last line)`);
  if (/^(LIST|.*%)/i.test(dataName) && dataName.toUpperCase() !== 'LOCAL') {
    throw new UserError(`${file}: ElementDataFile = ${dataName} (a list of slice files) is not supported; save the image as one .raw`);
  }
  const local = dataName.toUpperCase() === 'LOCAL';
  const dataFile = local ? undefined : path.resolve(path.dirname(file), dataName);
  // A header names its data file; it must not reach files elsewhere on the machine (../../etc/passwd).
  const below = dataFile === undefined ? undefined : path.relative(path.resolve(path.dirname(file)), dataFile);
  if (below !== undefined && (below === '' || below.startsWith('..') || path.isAbsolute(below))) {
    throw new UserError(
      `${file}: ElementDataFile = ${dataName} is outside the header's folder; a MetaImage's data file must lie beside its header or below it (e.g. ElementDataFile = ${path.basename(file).replace(/\.mhd$/i, '')}.raw)`,
    );
  }
  const headerSize = Number(field(fields, 'HeaderSize') ?? 0);
  return {
    fields,
    dims,
    elementSpacing,
    dtype,
    bigEndian: isTrue(field(fields, 'BinaryDataByteOrderMSB') ?? field(fields, 'ElementByteOrderMSB')),
    compressed: isTrue(field(fields, 'CompressedData')),
    dataFile,
    dataOffset: local ? headerBytes : headerSize,
  };
}

async function decodeData(header: MhdHeader, stored: Buffer, file: string, dataFile: string): Promise<ImageArray> {
  const count = pixelCount(header.dims);
  const width = BYTES_PER_PIXEL[header.dtype];
  const expected = count * width;
  let bytes: Buffer = stored;
  if (header.compressed) {
    try {
      bytes = await unzip(stored);
    } catch (error) {
      throw new UserError(`${dataFile}: corrupt compressed data (${(error as Error).message}); the file is damaged — extract or download it again`);
    }
  } else if (header.dataOffset === -1) {
    bytes = stored.subarray(Math.max(0, stored.length - expected));
  }
  const declared = `${header.dims.join('×')} ${TYPE_NAMES[header.dtype]} (${expected} bytes)`;
  if (bytes.length < expected) {
    throw new UserError(
      `${dataFile}: truncated: ${file} declares ${declared} but the data has ${bytes.length} bytes — the file was cut short; extract or download it again`,
    );
  }
  if (bytes.length > expected) {
    throw new UserError(
      `${dataFile}: size mismatch: ${file} declares ${declared} but the data has ${bytes.length} bytes — DimSize or ElementType in the header does not describe this data`,
    );
  }
  const [x, y, z] = header.dims;
  return {
    dtype: header.dtype,
    shape: z === undefined ? [y, x] : [z, y, x],
    data: pixelsFromBytes(header.dtype, bytes, count, header.bigEndian),
    spacing: [header.elementSpacing[1], header.elementSpacing[0]],
  };
}

export async function readMetaImage(file: string): Promise<ImageArray> {
  const content = await fs.readFile(file);
  // The header is text; inline data (.mha) starts after the ElementDataFile line.
  const header = parseMhdHeader(content.subarray(0, Math.min(content.length, 64 * 1024)).toString('latin1'), file);
  if (header.dataFile === undefined) {
    return decodeData(header, content.subarray(header.dataOffset), file, file);
  }
  let stored: Buffer;
  try {
    stored = await fs.readFile(header.dataFile);
  } catch {
    throw new UserError(
      `${file}: its data file ${header.dataFile} is missing (ElementDataFile = ${path.basename(header.dataFile)}); keep the .raw next to the .mhd`,
    );
  }
  return decodeData(header, header.dataOffset > 0 ? stored.subarray(header.dataOffset) : stored, file, header.dataFile);
}

export interface MetaImageWriteOptions {
  /** zlib-compress the data (`CompressedData = True`), as ITK does for `.zraw`. */
  compress?: boolean;
  /** zlib level when compressing (1 fastest .. 9 smallest). */
  level?: number;
}

/**
 * Writes `file` (.mhd with a sibling .raw/.zraw, or .mha with inline data) with a header laid out like
 * the CAMUS release's. Sequences ([frames, rows, cols]) get a third DimSize and spacing 1.
 */
export async function writeMetaImage(file: string, image: ImageArray, options: MetaImageWriteOptions = {}): Promise<void> {
  const inline = file.toLowerCase().endsWith('.mha');
  const [rows, cols] = image.shape.slice(-2);
  const frames = image.shape.length === 3 ? image.shape[0] : undefined;
  const spacing = image.spacing ?? [1, 1];
  const raw = pixelBytes(image.data);
  const data = options.compress ? await deflate(raw, { level: options.level ?? 6 }) : raw;
  const dataName = inline ? 'LOCAL' : path.basename(file).replace(/\.mhd$/i, '') + (options.compress ? '.zraw' : '.raw');
  const ndims = frames === undefined ? 2 : 3;
  const lines = [
    'ObjectType = Image',
    `NDims = ${ndims}`,
    'BinaryData = True',
    'BinaryDataByteOrderMSB = False',
    `CompressedData = ${options.compress ? 'True' : 'False'}`,
    ...(options.compress ? [`CompressedDataSize = ${data.length}`] : []),
    `TransformMatrix = ${ndims === 2 ? '1 0 0 1' : '1 0 0 0 1 0 0 0 1'}`,
    `Offset = ${ndims === 2 ? '0 0' : '0 0 0'}`,
    `CenterOfRotation = ${ndims === 2 ? '0 0' : '0 0 0'}`,
    `ElementSpacing = ${spacing[1]} ${spacing[0]}${frames === undefined ? '' : ' 1'}`,
    `DimSize = ${cols} ${rows}${frames === undefined ? '' : ` ${frames}`}`,
    `AnatomicalOrientation = ${ndims === 2 ? '??' : '???'}`,
    `ElementType = ${TYPE_NAMES[image.dtype]}`,
    `ElementDataFile = ${dataName}`,
  ];
  const header = Buffer.from(lines.join('\n') + '\n', 'latin1');
  if (inline) {
    await fs.writeFile(file, Buffer.concat([header, data]));
  } else {
    await fs.writeFile(path.join(path.dirname(file), dataName), data);
    await fs.writeFile(file, header);
  }
}
