import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readNpy } from '../../nodes/data/npy';
import { distanceTransform, type Spacing } from '../../nodes/metrics/edt';
import { segmentationMetrics, STRUCTURE_NAMES } from '../../nodes/metrics/segmentation-metrics';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

/**
 * Cross-check against numpy + scipy.ndimage (test/fixtures/metrics/reference_metrics.py) on seeded
 * random shapes with anisotropic spacing: the EDT value of every pixel, and Dice/HD/ASSD per structure.
 */

interface ReferenceMetric {
  dice: number;
  hd: number | null;
  assd: number | null;
  hd95: number | null;
  mad: number | null;
}

interface Reference {
  edt: { rows: number; cols: number; spacing: [number, number] }[];
  cases: { rows: number; cols: number; spacing: [number, number]; metrics: Record<string, ReferenceMetric> }[];
}

const SCRIPT = path.join(__dirname, '..', 'fixtures', 'metrics', 'reference_metrics.py');
const EDT_CASES = 40;
const METRIC_CASES = 60;
let dir: string;
let reference: Reference;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'metrics-reference-'));
  references.script(SCRIPT, [{ output: dir }, '20240607', String(EDT_CASES), String(METRIC_CASES)]);
  reference = JSON.parse(await fs.readFile(path.join(dir, 'reference.json'), 'utf8')) as Reference;
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function readUint8(file: string): Promise<Uint8Array> {
  const array = await readNpy(path.join(dir, file));
  expect(array.dtype).toBe('uint8');
  return array.data as Uint8Array;
}

describe('exact EDT against scipy.ndimage.distance_transform_edt(sampling=…)', () => {
  it('matches every pixel of random images to 1e-9 mm', async () => {
    expect(reference.edt).toHaveLength(EDT_CASES);
    let worst = 0;
    for (const [i, { rows, cols, spacing }] of reference.edt.entries()) {
      const features = await readUint8(`edt_${i}.npy`);
      const expected = (await readNpy(path.join(dir, `edt_${i}_distance.npy`))).data;
      const actual = distanceTransform(features, rows, cols, spacing as Spacing);
      for (let p = 0; p < actual.length; p++) worst = Math.max(worst, Math.abs(actual[p] - expected[p]));
    }
    expect(worst).toBeLessThan(1e-9);
  });
});

describe('Dice, HD, ASSD, HD95 and CAMUS mean absolute distance against a MedPy-definition reference in numpy/scipy', () => {
  it('matches every structure of every random label-map pair to 1e-6', async () => {
    let compared = 0;
    let emptyCases = 0;
    for (const [i, { rows, cols, spacing, metrics }] of reference.cases.entries()) {
      const pred = await readUint8(`case_${i}_pred.npy`);
      const gt = await readUint8(`case_${i}_gt.npy`);
      const actual = segmentationMetrics(pred, gt, rows, cols, spacing);
      for (const name of STRUCTURE_NAMES) {
        const want = metrics[name];
        const got = actual[name];
        const where = `case ${i} (${rows}×${cols}, spacing ${spacing.join(', ')}) ${name}`;
        expect({ where, dice: got.dice }).toEqual({ where, dice: expect.closeTo(want.dice, 9) });
        if (want.hd === null || want.assd === null || want.hd95 === null || want.mad === null) {
          emptyCases++;
          expect({ where, hd: got.hd, assd: got.assd, hd95: got.hd95, mad: got.mad }).toEqual({ where, hd: NaN, assd: NaN, hd95: NaN, mad: NaN });
        } else {
          compared++;
          expect({ where, hd: got.hd, assd: got.assd, hd95: got.hd95, mad: got.mad }).toEqual({
            where,
            hd: expect.closeTo(want.hd, 6),
            assd: expect.closeTo(want.assd, 6),
            hd95: expect.closeTo(want.hd95, 6),
            mad: expect.closeTo(want.mad, 6),
          });
        }
      }
    }
    // The generator must exercise both branches, or this test proves less than it claims.
    expect(compared).toBeGreaterThan(100);
    expect(emptyCases).toBeGreaterThan(3);
  });
});
