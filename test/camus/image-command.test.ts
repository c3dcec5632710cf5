import { promises as fs } from 'fs';
import * as path from 'path';
import { command, type ImageInfo } from '../../nodes/commands/image';
import { readImage } from '../../nodes/data/image-file';
import { CARDIGAN, cardigan as main } from '../../nodes/cardigan';
import { MHD_FIXTURES, NIFTI_FIXTURES, pattern, realCamusMhd, tempDir } from './fixtures';

async function capture(run: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await run(), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

async function infoJson(file: string): Promise<ImageInfo> {
  const { out } = await capture(() => command.run(['info', file, '--json'], CARDIGAN));
  return JSON.parse(out) as ImageInfo;
}

describe('cardigan image info', () => {
  it('reports the real CAMUS label map with shape, spacing and label counts', async () => {
    const info = await infoJson(realCamusMhd());
    expect(info).toMatchObject({ shape: [973, 590], dtype: 'uint8', spacing: [0.154, 0.308], min: 0, max: 2, labels: { 0: 493522, 1: 31009, 2: 49539 } });
  });

  it('agrees on [rows, cols] for the same image in MetaImage and NIfTI', async () => {
    const fromMhd = await infoJson(path.join(MHD_FIXTURES, 'uint8.mhd'));
    const fromNifti = await infoJson(path.join(NIFTI_FIXTURES, 'uint8.nii.gz'));
    expect(fromNifti.shape).toEqual([5, 7]);
    expect({ ...fromNifti, file: '', format: '' }).toEqual({ ...fromMhd, file: '', format: '' });
  });

  it('gives sequences as [rows, cols, frames] and no labels for intensity images', async () => {
    const info = await infoJson(path.join(NIFTI_FIXTURES, 'sequence.nii.gz'));
    expect(info.shape).toEqual([5, 7, 3]);
    expect(info.labels).toBeUndefined();
    expect(info.max).toBe(246);
  });

  it('prints a readable table without --json', async () => {
    const { out, code } = await capture(() => command.run(['info', path.join(MHD_FIXTURES, 'uint8.mhd')], CARDIGAN));
    expect(code).toBe(0);
    expect(out).toContain('shape    5 rows × 7 cols');
    expect(out).toContain('spacing  0.154 mm (rows) × 0.308 mm (cols)');
  });

  it('exits 1 naming a missing file and 2 for a wrong command line', async () => {
    const missing = await capture(() => main(['image', 'info', 'nowhere.nii.gz']));
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('error: nowhere.nii.gz: no such file\n');
    const usage = await capture(() => main(['image', 'inf', 'x']));
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('unknown image subcommand "inf"');
  });
});

describe('cardigan image convert', () => {
  it('chains .mhd → .nii.gz → .npy → .png → .mha keeping every value, and spacing where the format has it', async () => {
    const dir = await tempDir();
    const chain = ['a.nii.gz', 'b.npy', 'c.png', 'd.mha'].map((name) => path.join(dir, name));
    let previous = path.join(MHD_FIXTURES, 'uint8.mhd');
    for (const next of chain) {
      expect((await capture(() => command.run(['convert', previous, next], CARDIGAN))).code).toBe(0);
      previous = next;
    }
    for (const file of chain) expect(Array.from((await readImage(file)).data)).toEqual(pattern(0));
    expect((await readImage(chain[0])).spacing).toEqual([0.154, 0.308]);
    expect((await readImage(chain[1])).spacing).toBeUndefined();
  });

  it('converts one frame of a sequence to PNG with --frame', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'f.png');
    await capture(() => command.run(['convert', path.join(MHD_FIXTURES, 'sequence.mhd'), out, '--frame', '2'], CARDIGAN));
    expect(Array.from((await readImage(out)).data)).toEqual(pattern(200));
    const refused = await capture(() => main(['image', 'convert', path.join(MHD_FIXTURES, 'sequence.mhd'), path.join(dir, 'g.png')]));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('PNG holds one 2-D image but this one has 3 frames; pick one with --frame N');
  });

  it('refuses to squeeze out-of-range values into PNG', async () => {
    const dir = await tempDir();
    const result = await capture(() => main(['image', 'convert', path.join(MHD_FIXTURES, 'int16_msb.mhd'), path.join(dir, 'x.png')]));
    expect(result.code).toBe(1);
    expect(result.err).toContain('PNG holds 8-bit values but the image ranges over -300..-254; write .npy, .nii.gz or .mhd to keep them');
    await expect(fs.access(path.join(dir, 'x.png'))).rejects.toThrow();
  });
});
