import { promises as fs } from 'fs';
import * as path from 'path';
import { decodePng, encodeGrayPng, encodeRgbPng } from '../../nodes/data/png';
import { pythonReferences } from '../rig/references/python-references';
import { tempDir } from '../camus/fixtures';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

describe('png', () => {
  it('writes grayscale PNGs that PIL reads back value for value', async () => {
    const pixels = Uint8Array.from({ length: 6 * 4 }, (_, k) => (k * 37) % 256);
    const file = path.join(await tempDir(), 'g.png');
    await fs.writeFile(file, encodeGrayPng(pixels, 6, 4));
    const out = references.run(
      'import sys, numpy as np; from PIL import Image; a = np.asarray(Image.open(sys.argv[1])); print(a.shape, a.dtype, Image.open(sys.argv[1]).mode, a.ravel().tolist())',
      [{ input: file }],
    );
    expect(out.trim()).toBe(`(6, 4) uint8 L ${JSON.stringify(Array.from(pixels)).replace(/,/g, ', ')}`);
  });

  it('round-trips label values exactly', () => {
    const labels = Uint8Array.from([0, 1, 2, 3, 3, 2]);
    const back = decodePng(encodeGrayPng(labels, 2, 3), 'x.png');
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual([0, 1, 2, 3, 3, 2]);
  });

  it('reads 16-bit grayscale as uint16 without rescaling', async () => {
    const file = path.join(await tempDir(), 'd.png');
    references.run(
      'import sys, numpy as np; from PIL import Image; Image.fromarray(np.array([[0, 1000], [40000, 65535]], dtype=np.uint16)).save(sys.argv[1])',
      [{ output: file }],
    );
    const image = decodePng(await fs.readFile(file), file);
    expect(image.dtype).toBe('uint16');
    expect(Array.from(image.data)).toEqual([0, 1000, 40000, 65535]);
  });

  it('refuses a colour PNG with the file name', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0]);
    expect(() => decodePng(encodeRgbPng(rgb, 1, 2), 'c.png')).toThrow('c.png: a colour PNG; cardigan images are single-channel — save it as grayscale');
  });

  it('refuses bytes that are not a PNG', () => {
    expect(() => decodePng(Buffer.from('not a png'), 'n.png')).toThrow(/^n\.png: not a readable PNG/);
  });
});
