import { resizeBilinear, resizeNearest, resizedSpacing } from '../../nodes/data/resample';
import { Random } from '../../nodes/data/random';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

/** PIL (what the CAMUS reference tooling resizes with) on the same float image, as JSON. */
function pil(values: Float32Array, rows: number, cols: number, outRows: number, outCols: number, mode: 'BILINEAR' | 'NEAREST'): number[] {
  const code = [
    'import json, sys, numpy as np',
    'from PIL import Image',
    'rows, cols, out_rows, out_cols = map(int, sys.argv[2:6])',
    'a = np.array(json.loads(sys.argv[1]), dtype=np.float32).reshape(rows, cols)',
    `b = np.asarray(Image.fromarray(a, mode="F").resize((out_cols, out_rows), Image.Resampling.${mode}))`,
    'print(json.dumps(b.ravel().tolist()))',
  ].join('\n');
  return JSON.parse(references.run(code, [JSON.stringify(Array.from(values)), String(rows), String(cols), String(outRows), String(outCols)])) as number[];
}

describe('resample', () => {
  const random = new Random(11);
  const rows = 37;
  const cols = 23;
  const image = Float32Array.from({ length: rows * cols }, () => random.next());

  it.each([
    [12, 9],
    [50, 40],
    [37, 11],
  ])('bilinear matches PIL resizing 37×23 to %i×%i', (outRows, outCols) => {
    const ours = resizeBilinear(image, rows, cols, outRows, outCols);
    const reference = pil(image, rows, cols, outRows, outCols, 'BILINEAR');
    let worst = 0;
    ours.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - reference[k]))));
    expect(worst).toBeLessThan(1e-4);
  });

  it('nearest matches PIL and only produces existing labels', () => {
    const labels = Uint8Array.from({ length: rows * cols }, () => random.int(4));
    const ours = resizeNearest(labels, rows, cols, 16, 50);
    expect(Array.from(ours)).toEqual(pil(Float32Array.from(labels), rows, cols, 16, 50, 'NEAREST'));
  });

  it('scales the spacing with the size', () => {
    expect(resizedSpacing([0.154, 0.308], 973, 590, 256, 256)).toEqual([(0.154 * 973) / 256, (0.308 * 590) / 256]);
  });
});
