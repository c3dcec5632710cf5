import { decodeNpy, encodeNpy } from '../nodes/data/npy';
import { pythonReferences } from './rig/references/python-references';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

describe('npy', () => {
  it('round-trips every supported dtype with its shape', () => {
    const arrays = [new Float32Array([0, 0.5, 1, -2, 3, 4]), new Uint8Array([0, 1, 2, 3, 255, 7]), new Int16Array([-3, 2, 1, 0, 9, -32768])];
    for (const data of arrays) {
      const decoded = decodeNpy(encodeNpy(data, [2, 3]));
      expect(decoded.shape).toEqual([2, 3]);
      expect(Array.from(decoded.data)).toEqual(Array.from(data));
    }
  });

  it('refuses a truncated file with its name', () => {
    const buffer = encodeNpy(new Float32Array(12), [3, 4]);
    expect(() => decodeNpy(buffer.subarray(0, buffer.length - 4), 'x.npy')).toThrow(/x\.npy: truncated/);
  });

  it('writes files that numpy reads back identically', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'npy-'));
    const file = path.join(dir, 'a.npy');
    await fs.writeFile(file, encodeNpy(new Float32Array([1.5, 2, 3, 4, 5, 6]), [3, 2]));
    const out = references.run('import numpy as np, sys; a=np.load(sys.argv[1]); print(a.dtype, a.shape, a.sum())', [{ input: file }]).trim();
    expect(out).toBe('float32 (3, 2) 21.5');
  });
});
