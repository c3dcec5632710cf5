import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CRITERIA, type CriterionId } from '../../nodes/anatomy/criteria';
import { isAnatomicallyValid } from '../../nodes/anatomy/validity';
import { readNpy } from '../../nodes/data/npy';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

/**
 * Cross-check of every criterion's value against a numpy + scipy.ndimage re-statement of vital's measures
 * (test/fixtures/anatomy/reference_anatomy.py) on seeded random heart-like masks with random defects.
 * The reference works on the whole image, so this also checks that cropping to the structures is exact.
 */

type ReferenceValue = number | null | 'nan';
interface ReferenceCase {
  rows: number;
  cols: number;
  values: Record<CriterionId, ReferenceValue>;
}

const SCRIPT = path.join(__dirname, '..', 'fixtures', 'anatomy', 'reference_anatomy.py');
const CASES = 150;
let dir: string;
let reference: ReferenceCase[];

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'anatomy-reference-'));
  references.script(SCRIPT, [{ output: dir }, '8', String(CASES)]);
  reference = JSON.parse(await fs.readFile(path.join(dir, 'reference.json'), 'utf8')) as ReferenceCase[];
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('anatomical criteria against an independent numpy/scipy reference', () => {
  it('give the same value for every criterion of every random mask', async () => {
    const failuresSeen = new Map<CriterionId, number>();
    let valid = 0;
    for (const [i, { rows, cols, values }] of reference.entries()) {
      const mask = (await readNpy(path.join(dir, `mask_${i}.npy`))).data as Uint8Array;
      const verdict = isAnatomicallyValid(mask, rows, cols);
      if (verdict.valid) valid++;
      for (const id of verdict.failures) failuresSeen.set(id, (failuresSeen.get(id) ?? 0) + 1);
      for (const { id } of CRITERIA) {
        const want = values[id];
        const got = verdict.criteria[id];
        const where = `mask ${i} (${rows}×${cols}) ${id}`;
        if (want === null) expect({ where, value: got.value, pass: got.pass }).toEqual({ where, value: NaN, pass: true });
        else if (want === 'nan') expect({ where, value: got.value, pass: got.pass }).toEqual({ where, value: NaN, pass: false });
        else expect({ where, value: got.value }).toEqual({ where, value: expect.closeTo(want, 9) });
      }
    }
    // The random masks must exercise every criterion both ways, or agreement proves little.
    expect(valid).toBeGreaterThan(10);
    expect(CRITERIA.filter(({ id }) => (failuresSeen.get(id) ?? 0) === 0).map(({ id }) => id)).toEqual([]);
  });
});
