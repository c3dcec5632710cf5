import { promises as fs } from 'fs';
import * as path from 'path';
import { isAnatomicallyValid } from '../../nodes/anatomy/validity';
import { encodeNpy } from '../../nodes/data/npy';
import { resizeNearest } from '../../nodes/data/resample';
import { pythonReferences } from '../rig/references/python-references';
import { tempDir } from './fixtures';
import { syntheticGroundTruths } from '../rig/synthetic-masks';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

interface Measures {
  components: number[];
  holes: number[];
  enclosedBackground: number;
  lvBackground: number;
  myoAtrium: number;
  widthRatio: number;
  erosionRatio: number;
}

/** Masks of the first patients of a cohort (ED and ES, both views), at native size and at 256 × 256. */
function cohortMasks(patients: number, seed: number): { native: Uint8Array[]; small: Uint8Array[]; labels: string[] } {
  const masks = syntheticGroundTruths(patients, seed);
  return {
    native: masks.map((m) => m.data),
    small: masks.map((m) => resizeNearest(m.data, m.rows, m.cols, 256, 256)),
    labels: masks.map((m) => `${m.name} ${m.rows}×${m.cols}`),
  };
}

async function measure(masks: Uint8Array[], rows: number, cols: number): Promise<Measures[]> {
  const file = path.join(await tempDir(), 'masks.npy');
  const stacked = new Uint8Array(masks.length * rows * cols);
  masks.forEach((m, k) => stacked.set(m, k * rows * cols));
  await fs.writeFile(file, encodeNpy(stacked, [masks.length, rows, cols]));
  const out = references.script(path.join(__dirname, 'anatomy_check.py'), [{ input: file }]);
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Measures);
}

function expectValid(m: Measures, label: string): void {
  const context = `${label}: ${JSON.stringify(m)}`;
  expect({ context, components: m.components }).toEqual({ context, components: [1, 1, 1] });
  expect({ context, holes: m.holes, enclosed: m.enclosedBackground }).toEqual({ context, holes: [0, 0, 0], enclosed: 0 });
  expect({ context, ok: m.lvBackground <= 0.4 && m.myoAtrium <= 0.11 && m.widthRatio <= 4.15 && m.erosionRatio >= 0.12 }).toEqual({ context, ok: true });
}

describe('synthetic masks pass the anatomical criteria (checked independently with scipy)', () => {
  const { small, labels } = cohortMasks(6, 3);

  it('at 256 × 256, as load-camus stores them', async () => {
    const measures = await measure(small, 256, 256);
    measures.forEach((m, k) => expectValid(m, labels[k]));
  });

  it('at native size, as synth-camus writes them', async () => {
    const { native, labels: nativeLabels } = cohortMasks(1, 5);
    // Native sizes differ per view: check each mask on its own grid.
    for (const [k, mask] of native.entries()) {
      const [rows, cols] = nativeLabels[k].split(' ')[3].split('×').map(Number);
      const [m] = await measure([mask], rows, cols);
      expectValid(m, nativeLabels[k]);
    }
  });
});

describe('synthetic masks pass our own anatomical criteria (nodes/anatomy/validity.ts)', () => {
  // 10 patients × 2 views × ED/ES, as synth-camus writes them and as load-camus stores them at 256 px.
  const cohort = cohortMasks(10, 1);

  it.each([
    ['at 256 × 256', cohort.small, () => [256, 256]],
    ['at native size', cohort.native, (k: number) => cohort.labels[k].split(' ')[3].split('×').map(Number)],
  ] as const)('%s', (_, masks, sizeOf) => {
    expect(masks).toHaveLength(40);
    const failures = masks.flatMap((mask, k) => {
      const [rows, cols] = sizeOf(k);
      const verdict = isAnatomicallyValid(mask, rows, cols);
      return verdict.valid
        ? []
        : [
            `${cohort.labels[k]}: ${verdict.failures.map((id) => `${id} = ${verdict.criteria[id].value} (bound ${verdict.criteria[id].threshold})`).join(', ')}`,
          ];
    });
    expect(failures).toEqual([]);
  });
});
