import { promises as fs } from 'fs';
import * as path from 'path';
import { readMetaImage } from '../../nodes/data/mhd';
import { readNifti, writeNifti } from '../../nodes/data/nifti';
import type { ImageArray } from '../../nodes/data/image';
import { pythonReferences } from '../rig/references/python-references';
import { MHD_FIXTURES, NIFTI_FIXTURES, pattern, tempDir } from './fixtures';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

interface Expected {
  dtype: string;
  shape: number[];
  offset?: number;
  slope?: number;
  inter?: number;
  frameOffset?: number;
}

const expected = require(path.join(NIFTI_FIXTURES, 'expected.json')) as Record<string, Expected>;

function expectedValues(entry: Expected): number[] {
  if (entry.slope !== undefined) return pattern(0).map((v) => v * (entry.slope ?? 1) + (entry.inter ?? 0));
  if (entry.frameOffset !== undefined) return [0, 1, 2].flatMap((f) => pattern(f * (entry.frameOffset ?? 0)));
  return pattern(entry.offset ?? 0);
}

describe('NIfTI-1 reader (fixtures written by nibabel)', () => {
  it.each(Object.keys(expected).sort())('%s', async (name) => {
    const entry = expected[name];
    const image = await readNifti(path.join(NIFTI_FIXTURES, name));
    expect(image.dtype).toBe(entry.dtype);
    expect(image.shape).toEqual(entry.shape);
    expect(image.spacing).toEqual([0.154, 0.308]);
    const values = Array.from(image.data);
    const want = expectedValues(entry);
    expect(values.length).toBe(want.length);
    values.forEach((v, k) => expect(v).toBeCloseTo(want[k], 5));
  });

  it('agrees with the MetaImage reader on [rows, cols] for the same image', async () => {
    const fromNifti = await readNifti(path.join(NIFTI_FIXTURES, 'uint8.nii.gz'));
    const fromMhd = await readMetaImage(path.join(MHD_FIXTURES, 'uint8.mhd'));
    expect(fromNifti.shape).toEqual(fromMhd.shape);
    expect(Array.from(fromNifti.data)).toEqual(Array.from(fromMhd.data));
  });
});

describe('NIfTI-1 writer', () => {
  const image: ImageArray = { dtype: 'uint16', shape: [5, 7], data: Uint16Array.from(pattern(60000)), spacing: [0.154, 0.308] };

  it.each(['a.nii', 'a.nii.gz'])('round-trips %s', async (name) => {
    const dir = await tempDir();
    await writeNifti(path.join(dir, name), image);
    const back = await readNifti(path.join(dir, name));
    expect(back.shape).toEqual(image.shape);
    expect(Array.from(back.data)).toEqual(Array.from(image.data));
    expect(back.spacing).toEqual([0.154, 0.308]);
  });

  it('writes files nibabel reads as [cols, rows] with pixdim (col, row) — the CAMUS 2023 convention', async () => {
    const dir = await tempDir();
    const sequence: ImageArray = { dtype: 'float32', shape: [2, 5, 7], data: Float32Array.from([...pattern(0), ...pattern(100)]), spacing: [0.154, 0.308] };
    await writeNifti(path.join(dir, 's.nii.gz'), sequence);
    const out = references.run(
      [
        'import nibabel as nib, sys',
        'img = nib.load(sys.argv[1])',
        'a = img.get_fdata()',
        'print(a.shape, a[6, 4, 1], [round(float(z), 3) for z in img.header.get_zooms()[:2]], img.get_data_dtype())',
      ].join('\n'),
      [{ input: path.join(dir, 's.nii.gz') }],
    );
    expect(out.trim()).toBe('(7, 5, 2) 146.0 [0.308, 0.154] float32');
  });
});

describe('NIfTI-1 bad input', () => {
  it('refuses a bad magic with the file name', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bad.nii');
    const bytes = await fs.readFile(path.join(NIFTI_FIXTURES, 'uint8.nii'));
    bytes.write('xyz\0', 344, 'latin1');
    await fs.writeFile(file, bytes);
    await expect(readNifti(file)).rejects.toThrow(`${file}: bad NIfTI magic "xyz\\u0000" (expected "n+1"); the file is not NIfTI-1 or is damaged`);
  });

  it('reports corrupt gzip data', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'cut.nii.gz');
    const bytes = await fs.readFile(path.join(NIFTI_FIXTURES, 'float64.nii.gz'));
    await fs.writeFile(file, bytes.subarray(0, bytes.length - 30));
    await expect(readNifti(file)).rejects.toThrow(`${file}: corrupt gzip data`);
  });

  it('reports truncated voxel data', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'short.nii');
    const bytes = await fs.readFile(path.join(NIFTI_FIXTURES, 'float64.nii'));
    await fs.writeFile(file, bytes.subarray(0, bytes.length - 16));
    await expect(readNifti(file)).rejects.toThrow(`${file}: truncated: dim [7, 5] float64 needs 280 bytes of data, the file has 264`);
  });

  it('refuses an unsupported datatype', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'complex.nii');
    const bytes = await fs.readFile(path.join(NIFTI_FIXTURES, 'uint8.nii'));
    bytes.writeInt16LE(32, 70);
    await fs.writeFile(file, bytes);
    await expect(readNifti(file)).rejects.toThrow(`${file}: NIfTI datatype 32 is not supported`);
  });
});
