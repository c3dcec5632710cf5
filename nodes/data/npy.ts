import { promises as fs } from 'fs';

/**
 * NumPy .npy (format 1.0/2.0/3.0) for the dtypes cardigan stores, so a reviewer can open any
 * artifact with `numpy.load`. Little-endian, C order only: that is all we write, and the reader
 * refuses anything else with the file's name rather than misreading it.
 */

export type NpyDtype = 'float32' | 'float64' | 'uint8' | 'int16' | 'uint16' | 'int32';
export type NpyData = Float32Array | Float64Array | Uint8Array | Int16Array | Uint16Array | Int32Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const DESCR: Record<NpyDtype, string> = {
  float32: '<f4',
  float64: '<f8',
  uint8: '|u1',
  int16: '<i2',
  uint16: '<u2',
  int32: '<i4',
};

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  return 'int32';
}

export function encodeNpy(data: NpyData, shape: readonly number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new Error(`npy: shape [${shape.join(', ')}] holds ${count} values but the data has ${data.length}`);
  }
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${DESCR[dtypeOf(data)]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Header is padded so that the data starts on a 64-byte boundary, as numpy does.
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(prefix, 0);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

/** The parts of a .npy header, for readers of dtypes beyond NpyDtype (e.g. label maps saved as int64). */
export interface NpyHeader {
  /** numpy dtype string as written, e.g. `<i8`, `|u1`. */
  descr: string;
  shape: number[];
  /** Byte offset of the first value. */
  dataOffset: number;
}

export function decodeNpyHeader(buffer: Buffer, name = 'npy'): NpyHeader {
  if (buffer.length < 10 || !buffer.subarray(0, 6).equals(MAGIC)) {
    throw new Error(`${name}: not a NumPy .npy file (bad magic)`);
  }
  const major = buffer[6];
  const headerLength = major === 1 ? buffer.readUInt16LE(8) : buffer.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = buffer.subarray(headerStart, headerStart + headerLength).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error(`${name}: unreadable .npy header: ${header.trim()}`);
  }
  if (fortran === 'True') throw new Error(`${name}: Fortran-order arrays are not supported; save with C order`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  return { descr, shape, dataOffset: headerStart + headerLength };
}

export function decodeNpy(buffer: Buffer, name = 'npy'): NpyArray {
  const { descr, shape, dataOffset: offset } = decodeNpyHeader(buffer, name);
  // '=' (native) is little-endian on every machine we run on; one-byte types may carry any order mark.
  const normalised = descr.replace(/^=/, '<').replace(/^[<>]u1$/, '|u1');
  const dtype = (Object.keys(DESCR) as NpyDtype[]).find((key) => DESCR[key] === normalised);
  if (dtype === undefined) {
    throw new Error(`${name}: dtype ${descr} is not supported (use float32, float64, uint8, int16, uint16 or int32, little-endian)`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const bytesPerValue = { float32: 4, float64: 8, uint8: 1, int16: 2, uint16: 2, int32: 4 }[dtype];
  if (buffer.length - offset < count * bytesPerValue) {
    throw new Error(`${name}: truncated: shape [${shape.join(', ')}] needs ${count * bytesPerValue} bytes of data, file has ${buffer.length - offset}`);
  }
  // A view over the file's bytes when they are aligned (numpy pads headers to 64 bytes, so they usually
  // are): loading a cached artifact then costs the read and no copy. Otherwise copy to align.
  const start = buffer.byteOffset + offset;
  let source: ArrayBuffer = buffer.buffer as ArrayBuffer;
  let at = start;
  if (start % bytesPerValue !== 0) {
    const bytes = new Uint8Array(count * bytesPerValue);
    bytes.set(buffer.subarray(offset, offset + count * bytesPerValue));
    source = bytes.buffer;
    at = 0;
  }
  const data: NpyData = {
    float32: () => new Float32Array(source, at, count),
    float64: () => new Float64Array(source, at, count),
    uint8: () => new Uint8Array(source, at, count),
    int16: () => new Int16Array(source, at, count),
    uint16: () => new Uint16Array(source, at, count),
    int32: () => new Int32Array(source, at, count),
  }[dtype]();
  return { dtype, shape, data };
}

export async function writeNpy(path: string, data: NpyData, shape: readonly number[]): Promise<void> {
  await fs.writeFile(path, encodeNpy(data, shape));
}

export async function readNpy(path: string): Promise<NpyArray> {
  return decodeNpy(await fs.readFile(path), path);
}
