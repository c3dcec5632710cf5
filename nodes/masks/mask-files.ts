import { promises as fs } from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import { decodeNpy } from '../data/npy';
import type { LabelMask } from './label-mask';

/**
 * Reading label maps from files, one format per entry of READERS: add MetaImage and NIfTI there (their
 * readers live in nodes/camus/) and load-masks picks them up. Every reader returns masks of labels
 * 0..3 or throws an error that names the file and says how to fix it.
 */
interface MaskReader {
  /** Lower-case file name endings, with the dot. */
  extensions: readonly string[];
  read(file: string): Promise<LabelMask[]>;
}

const READERS: readonly MaskReader[] = [
  { extensions: ['.npy'], read: readNpyMasks },
  { extensions: ['.png'], read: readPngMask },
  { extensions: ['.nii', '.nii.gz', '.mhd'], read: notYetReadable },
];

/** True when some reader claims the file by its name; other files in a mask folder are ignored. */
export function isMaskFile(file: string): boolean {
  return readerFor(file) !== undefined;
}

/** All masks in the file (a .npy may stack several as [N, H, W]). */
export async function readMaskFile(file: string): Promise<LabelMask[]> {
  const reader = readerFor(file);
  if (reader === undefined) throw new Error(`${file}: not a mask file (readable: ${READERS.flatMap((r) => r.extensions).join(', ')})`);
  return reader.read(file);
}

/** The file name without the extension its reader claims. */
export function maskFileStem(file: string): string {
  const name = path.basename(file);
  const ending = readerFor(file)?.extensions.find((e) => name.toLowerCase().endsWith(e)) ?? path.extname(name);
  return name.slice(0, name.length - ending.length);
}

function readerFor(file: string): MaskReader | undefined {
  const name = file.toLowerCase();
  return READERS.find((reader) => reader.extensions.some((e) => name.endsWith(e)));
}

async function readNpyMasks(file: string): Promise<LabelMask[]> {
  const array = decodeNpy(await fs.readFile(file), file);
  const shape = array.shape;
  if (shape.length !== 2 && shape.length !== 3) {
    throw new Error(`${file}: a mask array must be [height, width] or [count, height, width], got shape [${shape.join(', ')}]`);
  }
  const [count, height, width] = shape.length === 2 ? [1, shape[0], shape[1]] : shape;
  return Array.from({ length: count }, (_, i) => {
    const where = shape.length === 3 ? ` of mask ${i}` : '';
    return { height, width, data: toLabels(file, array.data.subarray(i * height * width, (i + 1) * height * width), width, where) };
  });
}

async function readPngMask(file: string): Promise<LabelMask[]> {
  // skipRescale keeps stored values: a 2-bit or 16-bit PNG holding 0..3 must not become 0..255.
  let png: PNG;
  try {
    png = PNG.sync.read(await fs.readFile(file), { skipRescale: true });
  } catch (error) {
    throw new Error(`${file}: not a readable PNG (${(error as Error).message})`);
  }
  const rgba: ArrayLike<number> = png.data;
  const values = new Float64Array(png.width * png.height);
  for (let i = 0; i < values.length; i++) {
    const [r, g, b] = [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
    if (r !== g || r !== b) {
      throw new Error(`${file}: colour pixel (${r}, ${g}, ${b}) at row ${Math.floor(i / png.width)}, col ${i % png.width}; save masks as greyscale PNGs whose values are the labels 0..3`);
    }
    values[i] = r;
  }
  return [{ height: png.height, width: png.width, data: toLabels(file, values, png.width, '') }];
}

async function notYetReadable(file: string): Promise<LabelMask[]> {
  throw new Error(`${file}: NIfTI and MetaImage masks are not readable by load-masks yet; convert them to .npy or greyscale .png`);
}

/** Converts one mask's values to labels, refusing any value that is not 0..3 with its position. */
function toLabels(file: string, values: ArrayLike<number>, width: number, where: string): Uint8Array {
  const labels = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!(value === 0 || value === 1 || value === 2 || value === 3)) return refuse(file, values, value, `row ${Math.floor(i / width)}, col ${i % width}${where}`);
    labels[i] = value;
  }
  return labels;
}

function refuse(file: string, values: ArrayLike<number>, value: number, position: string): never {
  const seen = new Set<number>();
  for (let i = 0; i < values.length && seen.size <= 8; i++) seen.add(values[i]);
  const displayScaled = [...seen].every((v) => v === 0 || v === 85 || v === 170 || v === 255);
  const hint = displayScaled ? ' They look like labels scaled ×85 for display: divide by 85.' : '';
  throw new Error(
    `${file}: value ${value} at ${position} is not a label; masks hold 0 background, 1 LV, 2 myocardium, 3 LA.${hint}`,
  );
}
