import { parseArgs } from 'util';
import type { Command } from '../../engine/cli';
import { UsageError } from '../../engine';
import { formatOf, readImage, writeImage } from '../data/image-file';
import { frameOf, type ImageArray } from '../data/image';
import { imageStats } from '../data/image-stats';

/** `cardigan image info|convert`: how reviewers inspect and convert CAMUS-style images. */

const USAGE = `Usage:
  cardigan image info <file> [--json]
  cardigan image convert <in> <out> [--frame N] [--compress]

Formats (by extension): .mhd/.mha (MetaImage), .nii/.nii.gz (NIfTI-1), .npy, .png.

info     prints shape [rows, cols(, frames)], dtype, spacing [row, col] in mm, min, max, mean and,
         for label maps (integer images whose values are all 0..3), the pixel count of each label.
convert  rewrites an image in another format, keeping values and spacing where the format can hold
         them (.npy and .png have no spacing; .png holds 8-bit 2-D images).
  --frame N    convert only frame N (0-based) of a sequence
  --compress   zlib-compress MetaImage data (CompressedData = True)`;

const FORMAT_NAMES = { mhd: 'MetaImage', nifti: 'NIfTI-1', npy: 'NumPy', png: 'PNG' } as const;

export interface ImageInfo {
  file: string;
  format: string;
  /** [rows, cols] or [rows, cols, frames]. */
  shape: number[];
  dtype: string;
  /** [row, col] in mm, or null when the format has no spacing. */
  spacing: [number, number] | null;
  min: number;
  max: number;
  mean: number;
  labels?: Record<string, number>;
}

export function describe(file: string, image: ImageArray): ImageInfo {
  const stats = imageStats(image);
  const shape = image.shape.length === 3 ? [image.shape[1], image.shape[2], image.shape[0]] : [...image.shape];
  return {
    file,
    format: FORMAT_NAMES[formatOf(file)],
    shape,
    dtype: image.dtype,
    spacing: image.spacing ?? null,
    min: stats.min,
    max: stats.max,
    mean: Number(stats.mean.toFixed(6)),
    ...(stats.labels === undefined ? {} : { labels: stats.labels }),
  };
}

function formatInfo(info: ImageInfo): string {
  const [rows, cols, frames] = info.shape;
  const lines = [
    ['file', info.file],
    ['format', info.format],
    ['shape', `${rows} rows × ${cols} cols${frames === undefined ? '' : ` × ${frames} frames`}`],
    ['dtype', info.dtype],
    ['spacing', info.spacing === null ? 'none (the format stores no spacing)' : `${info.spacing[0]} mm (rows) × ${info.spacing[1]} mm (cols)`],
    ['min', String(info.min)],
    ['max', String(info.max)],
    ['mean', String(info.mean)],
  ];
  if (info.labels !== undefined) {
    lines.push([
      'labels',
      Object.entries(info.labels)
        .map(([label, count]) => `${label}: ${count}`)
        .join(', '),
    ]);
  }
  return lines.map(([key, value]) => `${key.padEnd(8)} ${value}`).join('\n');
}

async function info(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError(`image info takes one file\n${USAGE}`);
  const result = describe(positionals[0], await readImage(positionals[0]));
  process.stdout.write((values.json ? JSON.stringify(result, null, 1) : formatInfo(result)) + '\n');
  return 0;
}

async function convert(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { frame: { type: 'string' }, compress: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 2) throw new UsageError(`image convert takes an input and an output file\n${USAGE}`);
  const [input, output] = positionals;
  formatOf(output);
  let image = await readImage(input);
  if (values.frame !== undefined) {
    const frame = Number(values.frame);
    const frames = image.shape.length === 3 ? image.shape[0] : 1;
    if (!Number.isInteger(frame) || frame < 0 || frame >= frames) {
      throw new UsageError(`--frame ${values.frame}: ${input} has ${frames} frame${frames === 1 ? '' : 's'} (0..${frames - 1})`);
    }
    image = frameOf(image, frame);
  }
  await writeImage(output, image, { compress: values.compress });
  process.stdout.write(`wrote ${output} (${describe(output, image).shape.join(' × ')} ${image.dtype})\n`);
  return 0;
}

export const command: Command = {
  name: 'image',
  summary: 'inspect and convert images (info | convert): .mhd, .nii(.gz), .npy, .png',
  usage: USAGE,
  async run(args) {
    const [sub, ...rest] = args;
    try {
      if (sub === 'info') return await info(rest);
      if (sub === 'convert') return await convert(rest);
    } catch (error) {
      // parseArgs reports unknown flags as TypeErrors with a code; they are usage errors.
      if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new UsageError(`${(error as Error).message}\n${USAGE}`);
      throw error;
    }
    throw new UsageError(`unknown image subcommand "${sub ?? ''}"; use info or convert\n${USAGE}`);
  },
};
