import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readDataset } from '../../nodes/data/dataset-artifact';
import type { ImageArray } from '../../nodes/data/image';
import { writeImage } from '../../nodes/data/image-file';
import { node as loadMasks, type LoadMasksParams } from '../../nodes/types/load-masks/node';
import { makeTestContext } from '../rig/node-context';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

// Fixtures are written by numpy and by a hand-rolled PNG encoder in Python, independent of our readers.
const WRITERS = `
import sys, json, zlib, struct, numpy as np
def png(path, a, depth, colour=False):
    h, w = a.shape[:2]
    if colour:
        rows = [bytes([0]) + a[y].astype(np.uint8).tobytes() for y in range(h)]
        kind = 2
    elif depth == 16:
        rows = [bytes([0]) + a[y].astype('>u2').tobytes() for y in range(h)]
        kind = 0
    elif depth == 2:
        rows = [bytes([0]) + np.packbits(np.unpackbits(a[y].astype(np.uint8)[:, None], axis=1)[:, 6:].ravel()).tobytes() for y in range(h)]
        kind = 0
    else:
        rows = [bytes([0]) + a[y].astype(np.uint8).tobytes() for y in range(h)]
        kind = 0
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, kind, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b''.join(rows))) + chunk(b'IEND', b'')
    open(path, 'wb').write(data)
`;

function pattern(count: number, height: number, width: number, offset: number): number[] {
  return Array.from({ length: count * height * width }, (_, i) => (i * 7 + offset + Math.floor(i / width)) % 4);
}

async function folderWith(script: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-masks-'));
  references.run(WRITERS + script, [{ output: dir }]);
  return dir;
}

async function load(folder: string, params: Partial<LoadMasksParams> = {}) {
  const ctx = await makeTestContext();
  await loadMasks.run(ctx, {}, { folder, view: '4CH', phase: 'ED', spacing: [1, 1], cohort: null, ...params });
  return readDataset(ctx.outputDir('masks'));
}

describe('load-masks', () => {
  it('reads .npy masks and stacks and 2-, 8- and 16-bit greyscale PNGs, in file-name order, ignoring other files', async () => {
    const [h, w] = [6, 5];
    const folder = await folderWith(`
d = sys.argv[1]
np.save(d + '/mask2.npy', np.array(${JSON.stringify(pattern(1, h, w, 0))}, dtype=np.uint8).reshape(${h}, ${w}))
np.save(d + '/mask10.npy', np.array(${JSON.stringify(pattern(2, h, w, 1))}, dtype=np.int16).reshape(2, ${h}, ${w}))
png(d + '/patient0007_2CH_ES_gt.png', np.array(${JSON.stringify(pattern(1, h, w, 2))}).reshape(${h}, ${w}), 8)
png(d + '/p16.png', np.array(${JSON.stringify(pattern(1, h, w, 3))}).reshape(${h}, ${w}), 16)
png(d + '/p2.png', np.array(${JSON.stringify(pattern(1, h, w, 4))}).reshape(${h}, ${w}), 2)
open(d + '/README.txt', 'w').write('not a mask')
`);
    const dataset = await load(folder, { view: '2CH', spacing: [0.5, 0.25] });
    expect(dataset.manifest.size).toEqual([h, w]);
    expect(dataset.manifest.hasImages).toBe(false);
    expect(dataset.manifest.items.map((item) => item.id)).toEqual(['mask2', 'mask10_0', 'mask10_1', 'p2', 'p16', 'patient0007_2CH_ES_gt']);
    const expected = [pattern(1, h, w, 0), pattern(2, h, w, 1), pattern(1, h, w, 4), pattern(1, h, w, 3), pattern(1, h, w, 2)].flat();
    expect(Array.from(dataset.masks)).toEqual(expected);
    const patient = dataset.manifest.items[5];
    expect([patient.patient, patient.view, patient.phase, patient.source]).toEqual(['patient0007', '2CH', 'ES', 'artificial-mask']);
    expect([dataset.manifest.items[0].view, dataset.manifest.items[0].phase, dataset.manifest.items[0].spacing]).toEqual(['2CH', 'ED', [0.5, 0.25]]);
  });

  it('names the file and pixel of a value that is not a label, and spots display-scaled labels', async () => {
    const folder = await folderWith(`
a = np.zeros((4, 5), dtype=np.uint8); a[2, 3] = 170; a[0, 0] = 255
png(sys.argv[1] + '/scaled.png', a, 8)`);
    await expect(load(folder)).rejects.toThrow(
      `${path.join(folder, 'scaled.png')}: value 255 at row 0, col 0 is not a label; masks hold 0 background, 1 LV, 2 myocardium, 3 LA. They look like labels scaled ×85 for display: divide by 85.`,
    );
    const stack = await folderWith(`
a = np.zeros((3, 4, 5), dtype=np.float32); a[1, 2, 3] = 1.5
np.save(sys.argv[1] + '/stack.npy', a)`);
    await expect(load(stack)).rejects.toThrow(`${path.join(stack, 'stack.npy')}: value 1.5 at row 2, col 3 of mask 1 is not a label`);
  });

  it("reads MetaImage and NIfTI masks with their headers' spacing, a 2-D + time NIfTI as a stack, next to a .npy that takes the params' spacing", async () => {
    const [h, w] = [5, 7];
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-masks-'));
    const mask = (offset: number, frames = 1): ImageArray => ({
      dtype: 'uint8',
      shape: frames === 1 ? [h, w] : [frames, h, w],
      data: Uint8Array.from(pattern(frames, h, w, offset)),
      spacing: [0.154, 0.308],
    });
    await writeImage(path.join(folder, 'a.nii.gz'), mask(0));
    await writeImage(path.join(folder, 'b.mhd'), { ...mask(1), spacing: [0.5, 0.25] });
    await writeImage(path.join(folder, 'c.mha'), { ...mask(2), dtype: 'int16', data: Int16Array.from(pattern(1, h, w, 2)) });
    await writeImage(path.join(folder, 'd.nii'), mask(3, 2));
    await writeImage(path.join(folder, 'e.npy'), mask(4));
    const dataset = await load(folder, { spacing: [2, 3] });
    // b.raw, MetaImage's data file, is no mask file of its own.
    expect(dataset.manifest.items.map((item) => [item.id, item.spacing])).toEqual([
      ['a', [0.154, 0.308]],
      ['b', [0.5, 0.25]],
      ['c', [0.154, 0.308]],
      ['d_0', [0.154, 0.308]],
      ['d_1', [0.154, 0.308]],
      ['e', [2, 3]],
    ]);
    expect(Array.from(dataset.masks)).toEqual([0, 1, 2, 3, 4].flatMap((offset) => pattern(offset === 3 ? 2 : 1, h, w, offset)));
  });

  it('refuses a NIfTI of float labels, saying how to store integers', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-masks-'));
    await writeImage(path.join(folder, 'f.nii.gz'), { dtype: 'float32', shape: [3, 4], data: Float32Array.from(pattern(1, 3, 4, 0)), spacing: [1, 1] });
    await expect(load(folder)).rejects.toThrow(
      `${path.join(folder, 'f.nii.gz')}: dtype float32 is not an integer type; save the labels as integers, e.g. nib.save(nib.Nifti1Image(mask.astype(np.uint8), affine), path)`,
    );
  });

  it('refuses masks of different sizes, colour PNGs, a damaged NIfTI and a missing folder', async () => {
    const sizes = await folderWith(`
np.save(sys.argv[1] + '/a.npy', np.zeros((4, 5), dtype=np.uint8))
np.save(sys.argv[1] + '/b.npy', np.zeros((4, 6), dtype=np.uint8))`);
    await expect(load(sizes)).rejects.toThrow(`${path.join(sizes, 'b.npy')}: mask is 4×6 but a.npy is 4×5; every mask of a folder must have one size`);
    const colour = await folderWith(`
a = np.zeros((3, 3, 3), dtype=np.uint8); a[1, 2] = [1, 2, 1]
png(sys.argv[1] + '/c.png', a, 8, colour=True)`);
    await expect(load(colour)).rejects.toThrow(`${path.join(colour, 'c.png')}: colour pixel (1, 2, 1) at row 1, col 2; save masks as greyscale PNGs`);
    const nifti = await folderWith(`open(sys.argv[1] + '/m.nii.gz', 'wb').write(b'x')`);
    await expect(load(nifti)).rejects.toThrow(`${path.join(nifti, 'm.nii.gz')}: not a NIfTI-1 file (only 1 bytes, a header needs 348)`);
    const missing = path.join(os.tmpdir(), 'cardigan-no-such-folder');
    await expect(load(missing)).rejects.toThrow(`${missing}: the mask folder does not exist; check load-masks' "folder" param`);
  });
});
