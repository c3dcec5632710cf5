import { promises as fs } from 'fs';
import * as path from 'path';
import { readMetaImage, writeMetaImage } from '../../nodes/data/mhd';
import type { ImageArray } from '../../nodes/data/image';
import { pythonReferences } from '../rig/references/python-references';
import { MHD_FIXTURES, pattern, realCamusMhd, tempDir } from './fixtures';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

describe('MetaImage reader', () => {
  it('reads the genuine CAMUS header as 973 rows × 590 columns with spacing [0.154, 0.308]', async () => {
    const image = await readMetaImage(realCamusMhd());
    expect(image.shape).toEqual([973, 590]);
    expect(image.dtype).toBe('uint8');
    expect(image.spacing).toEqual([0.154, 0.308]);
    const counts = new Map<number, number>();
    for (const value of image.data) counts.set(value, (counts.get(value) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ 0: 493522, 1: 31009, 2: 49539 });
  });

  it('shows an apical view the right way up: the LV cavity is longer (rows) than wide (cols) in mm', async () => {
    const image = await readMetaImage(realCamusMhd());
    const [rows, cols] = image.shape;
    const [rowMm, colMm] = image.spacing ?? [1, 1];
    let top = rows;
    let bottom = 0;
    let left = cols;
    let right = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (image.data[r * cols + c] !== 1) continue;
        top = Math.min(top, r);
        bottom = Math.max(bottom, r);
        left = Math.min(left, c);
        right = Math.max(right, c);
      }
    }
    const lengthMm = (bottom - top + 1) * rowMm;
    const widthMm = (right - left + 1) * colMm;
    expect(lengthMm / widthMm).toBeGreaterThan(1.3);
    expect(lengthMm).toBeGreaterThan(40);
    expect(lengthMm).toBeLessThan(120);
  });

  it.each([
    ['uint8.mhd', 'uint8', 0],
    ['int16_msb.mhd', 'int16', -300],
    ['uint16_zlib.mhd', 'uint16', 60000],
    ['float32_inline.mha', 'float32', 0.25],
    ['float64_msb_zlib.mhd', 'float64', -1.5],
  ])('reads %s (written by numpy from the spec) as %s [5, 7]', async (name, dtype, offset) => {
    const image = await readMetaImage(path.join(MHD_FIXTURES, name));
    expect(image.dtype).toBe(dtype);
    expect(image.shape).toEqual([5, 7]);
    expect(image.spacing).toEqual([0.154, 0.308]);
    expect(Array.from(image.data)).toEqual(pattern(offset));
  });

  it('reads a 3-D sequence as [frames, rows, cols]', async () => {
    const image = await readMetaImage(path.join(MHD_FIXTURES, 'sequence.mhd'));
    expect(image.shape).toEqual([3, 5, 7]);
    expect(Array.from(image.data.subarray(2 * 35, 3 * 35))).toEqual(pattern(200));
  });
});

describe('MetaImage writer', () => {
  const image: ImageArray = { dtype: 'int16', shape: [5, 7], data: Int16Array.from(pattern(-300)), spacing: [0.154, 0.308] };

  it.each([
    ['plain.mhd', {}],
    ['packed.mhd', { compress: true }],
    ['inline.mha', {}],
  ])('round-trips %s', async (name, options) => {
    const dir = await tempDir();
    await writeMetaImage(path.join(dir, name), image, options);
    const back = await readMetaImage(path.join(dir, name));
    expect(back).toEqual(image);
  });

  it('writes a header numpy can follow: DimSize x first, data x fastest', async () => {
    const dir = await tempDir();
    const sequence: ImageArray = { dtype: 'uint8', shape: [2, 5, 7], data: Uint8Array.from([...pattern(0), ...pattern(100)]), spacing: [0.154, 0.308] };
    await writeMetaImage(path.join(dir, 'seq.mhd'), sequence);
    const out = references.run(
      [
        'import numpy as np, sys, os',
        'h = dict(l.split(" = ", 1) for l in open(sys.argv[1]).read().splitlines())',
        'dims = [int(d) for d in h["DimSize"].split()]',
        'a = np.fromfile(os.path.join(os.path.dirname(sys.argv[1]), h["ElementDataFile"]), np.uint8).reshape(dims[::-1])',
        'print(a.shape, a[1, 4, 6], h["ElementSpacing"], h["ElementType"])',
      ].join('\n'),
      [{ input: path.join(dir, 'seq.mhd'), readsAlso: [path.join(dir, 'seq.raw')] }],
    );
    expect(out.trim()).toBe('(2, 5, 7) 146 0.308 0.154 1 MET_UCHAR');
  });
});

describe('MetaImage bad input', () => {
  async function copyFixture(name: string): Promise<string> {
    const dir = await tempDir();
    for (const file of await fs.readdir(MHD_FIXTURES)) {
      if (file.startsWith(name)) await fs.copyFile(path.join(MHD_FIXTURES, file), path.join(dir, file));
    }
    return dir;
  }

  it('names the .raw and says it was cut short when the data is truncated', async () => {
    const dir = await copyFixture('uint8');
    await fs.truncate(path.join(dir, 'uint8.raw'), 20);
    await expect(readMetaImage(path.join(dir, 'uint8.mhd'))).rejects.toThrow(
      `${path.join(dir, 'uint8.raw')}: truncated: ${path.join(dir, 'uint8.mhd')} declares 7×5 MET_UCHAR (35 bytes) but the data has 20 bytes — the file was cut short; extract or download it again`,
    );
  });

  it('reports a header/data size mismatch', async () => {
    const dir = await copyFixture('uint8');
    const header = path.join(dir, 'uint8.mhd');
    await fs.writeFile(header, (await fs.readFile(header, 'utf8')).replace('DimSize = 7 5', 'DimSize = 5 5'));
    await expect(readMetaImage(header)).rejects.toThrow(
      /uint8\.raw: size mismatch: .*uint8\.mhd declares 5×5 MET_UCHAR \(25 bytes\) but the data has 35 bytes/,
    );
  });

  it('refuses an unknown element type and lists the known ones', async () => {
    const dir = await copyFixture('uint8');
    const header = path.join(dir, 'uint8.mhd');
    await fs.writeFile(header, (await fs.readFile(header, 'utf8')).replace('MET_UCHAR', 'MET_LONG_LONG'));
    await expect(readMetaImage(header)).rejects.toThrow(
      `${header}: unknown ElementType MET_LONG_LONG; cardigan reads MET_UCHAR, MET_SHORT, MET_USHORT, MET_INT, MET_FLOAT, MET_DOUBLE`,
    );
  });

  it('reports corrupt compressed data with the file name', async () => {
    const dir = await copyFixture('uint16_zlib');
    const data = path.join(dir, 'uint16_zlib.zraw');
    const bytes = await fs.readFile(data);
    bytes.fill(0x55, 2, 20);
    await fs.writeFile(data, bytes);
    await expect(readMetaImage(path.join(dir, 'uint16_zlib.mhd'))).rejects.toThrow(`${data}: corrupt compressed data`);
  });

  it("refuses an ElementDataFile outside the header's folder, naming the header and the field, before reading anything", async () => {
    const dir = await copyFixture('uint8');
    const header = path.join(dir, 'uint8.mhd');
    const text = await fs.readFile(header, 'utf8');
    for (const name of ['../../../etc/passwd', '/etc/passwd', '..', '.']) {
      await fs.writeFile(header, text.replace('ElementDataFile = uint8.raw', `ElementDataFile = ${name}`));
      await expect(readMetaImage(header)).rejects.toThrow(
        `${header}: ElementDataFile = ${name} is outside the header's folder; a MetaImage's data file must lie beside its header or below it (e.g. ElementDataFile = uint8.raw)`,
      );
    }
    // Below the header's folder is fine.
    await fs.mkdir(path.join(dir, 'data'));
    await fs.rename(path.join(dir, 'uint8.raw'), path.join(dir, 'data', 'uint8.raw'));
    await fs.writeFile(header, text.replace('ElementDataFile = uint8.raw', 'ElementDataFile = data/../data/uint8.raw'));
    expect((await readMetaImage(header)).shape).toEqual([5, 7]);
  });

  it('says which data file is missing', async () => {
    const dir = await copyFixture('uint8');
    await fs.rm(path.join(dir, 'uint8.raw'));
    await expect(readMetaImage(path.join(dir, 'uint8.mhd'))).rejects.toThrow(/uint8\.mhd: its data file .*uint8\.raw is missing/);
  });
});
