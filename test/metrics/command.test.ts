import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { PNG } from 'pngjs';
import { cardigan as main } from '../../nodes/cardigan';
import type { ImageArray } from '../../nodes/data/image';
import { writeImage } from '../../nodes/data/image-file';
import { encodeNpy } from '../../nodes/data/npy';
import { readLabelMap } from '../../nodes/masks/mask-files';
import { segmentationMetrics } from '../../nodes/metrics/segmentation-metrics';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

/** `cardigan metrics` end to end through the CLI entry point, on files written the way users write them. */

const ROWS = 40;
const COLS = 50;

/** A small heart: LV block, myocardium around it, LA below. */
function heart(shift: number): Uint8Array {
  const mask = new Uint8Array(ROWS * COLS);
  const fill = (r0: number, r1: number, c0: number, c1: number, value: number): void => {
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) mask[r * COLS + c] = value;
  };
  fill(4, 26, 10 + shift, 36 + shift, 2);
  fill(8, 26, 14 + shift, 32 + shift, 1);
  fill(26, 36, 14, 32, 3);
  return mask;
}

let dir: string;
let output: string;
let errors: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'metrics-cmd-'));
  output = '';
  errors = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output += String(chunk);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    errors += String(chunk);
    return true;
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

async function writeNpyFile(name: string, mask: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, encodeNpy(mask, [ROWS, COLS]));
  return file;
}

async function writeGreyPng(name: string, mask: Uint8Array): Promise<string> {
  const png = new PNG({ width: COLS, height: ROWS, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(mask);
  const file = path.join(dir, name);
  await fs.writeFile(file, PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
  return file;
}

/** An indexed-colour PNG (what PIL writes for mode "P"), built chunk by chunk since pngjs cannot write one. */
async function writePalettePng(name: string, mask: Uint8Array): Promise<string> {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(COLS, 0);
  header.writeUInt32BE(ROWS, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // colour type: palette
  const palette = Buffer.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  const raw = Buffer.alloc(ROWS * (COLS + 1));
  for (let r = 0; r < ROWS; r++) Buffer.from(mask.subarray(r * COLS, (r + 1) * COLS)).copy(raw, r * (COLS + 1) + 1);
  const file = path.join(dir, name);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  await fs.writeFile(
    file,
    Buffer.concat([signature, chunk('IHDR', header), chunk('PLTE', palette), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]),
  );
  return file;
}

describe('cardigan metrics', () => {
  it('prints the JSON of the issue, equal to segmentationMetrics on the same masks', async () => {
    const pred = await writeNpyFile('pred.npy', heart(2));
    const gt = await writeNpyFile('gt.npy', heart(0));
    expect(await main(['metrics', pred, gt, '--spacing', '0.154,0.308', '--json'])).toBe(0);
    const printed = JSON.parse(output) as Record<string, unknown>;
    const expected = segmentationMetrics(heart(2), heart(0), ROWS, COLS, [0.154, 0.308]);
    expect(Object.keys(printed)).toEqual(['endo', 'epi', 'la', 'spacing']);
    expect(printed).toEqual({ ...expected, spacing: [0.154, 0.308] });
    // A 2-column shift of the LV moves its side walls by 2 × 0.308 mm.
    expect(expected.endo.hd).toBeCloseTo(2 * 0.308, 12);
    expect(expected.la).toEqual({ dice: 1, hd: 0, assd: 0, hd95: 0, mad: 0 });
  });

  it('prints a readable table by default and null/n-a for an empty structure', async () => {
    const withoutLa = heart(0).map((v) => (v === 3 ? 0 : v));
    const pred = await writeNpyFile('pred.npy', withoutLa);
    const gt = await writeNpyFile('gt.npy', heart(0));
    expect(await main(['metrics', pred, gt, '--spacing', '1,1'])).toBe(0);
    expect(output).toContain('structure  dice    hd (mm)  assd (mm)');
    expect(output).toMatch(/^endo\s+1\.0000\s+0\.000\s+0\.000$/m);
    expect(output).toMatch(/^la\s+0\.0000\s+n\/a\s+n\/a$/m);
    output = '';
    expect(await main(['metrics', pred, gt, '--spacing', '1,1', '--json'])).toBe(0);
    expect(JSON.parse(output).la).toEqual({ dice: 0, hd: null, assd: null, hd95: null, mad: null });
  });

  it('reads .npy of any integer dtype as numpy saves it (int64 by default, big-endian too)', async () => {
    const gtFile = await writeNpyFile('gt.npy', heart(0));
    const code = [
      'import numpy as np, sys',
      'a = np.load(sys.argv[1])',
      'np.save(sys.argv[2], np.roll(a, 2, axis=1).astype(np.int64))',
      "np.save(sys.argv[3], a.astype('>i2'))",
    ].join('\n');
    const int64 = path.join(dir, 'pred64.npy');
    const bigEndian = path.join(dir, 'gt-be.npy');
    references.run(code, [{ input: gtFile }, { output: int64 }, { output: bigEndian }]);
    expect(Array.from((await readLabelMap(bigEndian)).data)).toEqual(Array.from(heart(0)));
    expect(await main(['metrics', int64, bigEndian, '--spacing', '0.5,0.5', '--json'])).toBe(0);
    const printed = JSON.parse(output) as { endo: { hd: number } };
    expect(printed.endo.hd).toBeCloseTo(1, 12);
  });

  it('reads 8-bit grey and palette PNGs to the same labels', async () => {
    const mask = heart(1);
    const grey = await readLabelMap(await writeGreyPng('grey.png', mask));
    const palette = await readLabelMap(await writePalettePng('palette.png', mask));
    expect({ rows: grey.height, cols: grey.width, spacing: grey.spacing }).toEqual({ rows: ROWS, cols: COLS, spacing: undefined });
    expect(Array.from(grey.data)).toEqual(Array.from(mask));
    expect(Array.from(palette.data)).toEqual(Array.from(mask));
  });

  it('reads MetaImage and NIfTI label maps, taking the spacing from their headers unless --spacing is given', async () => {
    const labelImage = (mask: Uint8Array, spacing: [number, number]): ImageArray => ({ dtype: 'uint8', shape: [ROWS, COLS], data: mask, spacing });
    const pred = path.join(dir, 'pred.nii.gz');
    const gt = path.join(dir, 'gt.mhd');
    const gtMha = path.join(dir, 'gt.mha');
    const predNii = path.join(dir, 'pred.nii');
    await writeImage(pred, labelImage(heart(2), [0.154, 0.308]));
    await writeImage(predNii, labelImage(heart(2), [0.154, 0.308]));
    await writeImage(gt, labelImage(heart(0), [0.154, 0.308]));
    await writeImage(gtMha, { ...labelImage(heart(0), [0.154, 0.308]), dtype: 'int16', data: Int16Array.from(heart(0)) });
    const expected = segmentationMetrics(heart(2), heart(0), ROWS, COLS, [0.154, 0.308]);
    for (const [p, g] of [
      [pred, gt],
      [predNii, gtMha],
    ]) {
      output = '';
      expect(await main(['metrics', p, g, '--json'])).toBe(0);
      expect(JSON.parse(output)).toEqual({ ...expected, spacing: [0.154, 0.308] });
    }
    output = '';
    expect(await main(['metrics', pred, gt, '--spacing', '1,1', '--json'])).toBe(0);
    expect(JSON.parse(output)).toEqual({ ...segmentationMetrics(heart(2), heart(0), ROWS, COLS, [1, 1]), spacing: [1, 1] });
    // A .npy prediction against a NIfTI ground truth: the ground truth's header decides.
    output = '';
    expect(await main(['metrics', await writeNpyFile('pred.npy', heart(2)), pred, '--json'])).toBe(0);
    expect(JSON.parse(output).spacing).toEqual([0.154, 0.308]);
  });

  it('refuses headers that disagree on the spacing, and float labels, naming the file and the fix', async () => {
    const pred = path.join(dir, 'pred.nii.gz');
    const gt = path.join(dir, 'gt.mhd');
    await writeImage(pred, { dtype: 'uint8', shape: [ROWS, COLS], data: heart(2), spacing: [0.2, 0.3] });
    await writeImage(gt, { dtype: 'uint8', shape: [ROWS, COLS], data: heart(0), spacing: [0.154, 0.308] });
    expect(await main(['metrics', pred, gt])).toBe(1);
    expect(errors).toContain(`${pred} has spacing [0.2, 0.3] mm but ${gt} has [0.154, 0.308]; pass --spacing to choose one`);
    const floats = path.join(dir, 'floats.mhd');
    await writeImage(floats, { dtype: 'float32', shape: [ROWS, COLS], data: Float32Array.from(heart(0)), spacing: [1, 1] });
    expect(await main(['metrics', floats, gt])).toBe(1);
    expect(errors).toContain(`${floats}: dtype float32 is not an integer type; save the labels as integers, e.g. ElementType = MET_UCHAR`);
  });

  it('requires --spacing for formats that do not record it, naming the file and the fix (exit 2)', async () => {
    const gt = await writeGreyPng('gt.png', heart(0));
    expect(await main(['metrics', gt, gt])).toBe(2);
    expect(errors).toBe(`error: metrics: ${gt} does not record its pixel spacing; give it with --spacing r,c in mm (e.g. --spacing 0.154,0.308)\n`);
  });

  it('refuses bad spacing, a missing file argument, and unknown options (exit 2)', async () => {
    const gt = await writeNpyFile('gt.npy', heart(0));
    expect(await main(['metrics', gt, gt, '--spacing', '0.2'])).toBe(2);
    expect(errors).toContain('--spacing must be two positive numbers in mm as row,col (e.g. --spacing 0.154,0.308), got "0.2"');
    expect(await main(['metrics', gt, '--spacing', '1,1'])).toBe(2);
    expect(errors).toContain('metrics: missing <gt> (the ground-truth label map)');
    expect(await main(['metrics', gt, gt, '--spacings', '1,1'])).toBe(2);
    expect(errors).toContain('metrics: unknown option "--spacings" — did you mean "--spacing"?');
  });

  it('refuses mismatched sizes, out-of-range labels, float arrays and unknown formats, naming the file (exit 1)', async () => {
    const gt = await writeNpyFile('gt.npy', heart(0));
    const small = path.join(dir, 'small.npy');
    await fs.writeFile(small, encodeNpy(new Uint8Array(12), [3, 4]));
    expect(await main(['metrics', small, gt, '--spacing', '1,1'])).toBe(1);
    expect(errors).toContain(`${small} is 3×4 but ${gt} is 40×50; resample the prediction to the ground truth's size first`);

    const scaled = await writeGreyPng(
      'scaled.png',
      heart(0).map((v) => v * 85),
    );
    expect(await main(['metrics', scaled, gt, '--spacing', '1,1'])).toBe(1);
    expect(errors).toContain(
      `${scaled}: value 170 at row 4, col 10 is not a label; masks hold 0 background, 1 LV, 2 myocardium, 3 LA. They look like labels scaled ×85 for display: divide by 85.`,
    );

    const floats = path.join(dir, 'floats.npy');
    await fs.writeFile(floats, encodeNpy(new Float32Array(ROWS * COLS), [ROWS, COLS]));
    expect(await main(['metrics', floats, gt, '--spacing', '1,1'])).toBe(1);
    expect(errors).toContain(`${floats}: dtype <f4 is not an integer type; save the labels as integers, e.g. np.save(path, mask.astype(np.uint8))`);

    const stack = path.join(dir, 'stack.npy');
    await fs.writeFile(stack, encodeNpy(new Uint8Array(2 * ROWS * COLS), [2, ROWS, COLS]));
    expect(await main(['metrics', stack, gt, '--spacing', '1,1'])).toBe(1);
    expect(errors).toContain(`${stack}: expected a 2-D label map [rows, cols], got shape [2, 40, 50]; save one image at a time`);

    expect(await main(['metrics', path.join(dir, 'x.mha'), gt, '--spacing', '1,1'])).toBe(1);
    expect(errors).toContain(`${path.join(dir, 'x.mha')}: no such file`);
    await fs.writeFile(path.join(dir, 'x.tif'), 'x');
    expect(await main(['metrics', path.join(dir, 'x.tif'), gt, '--spacing', '1,1'])).toBe(1);
    expect(errors).toContain('x.tif: unsupported label-map format ".tif" (supported: .npy, .png, .mhd, .mha, .nii, .nii.gz)');
  });

  it('is listed in cardigan --help', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(output).toMatch(
      /^ {2}metrics +Dice, HD and ASSD \(mm\) of a predicted mask file against a ground-truth one; EDV, ESV, EF from one patient’s four masks$/m,
    );
  });
});
