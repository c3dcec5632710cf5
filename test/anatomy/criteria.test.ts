import { CRITERIA, type CriterionId } from '../../nodes/anatomy/criteria';
import { isAnatomicallyValid } from '../../nodes/anatomy/validity';
import { asText, DEFAULT_HEART, drawHeart, paintDiskOnBackground, paintRect, relabel } from '../rig/heart-mask';

/**
 * Each criterion on hand-made masks: the drawn heart passes everything, and a mask with one defect
 * fails exactly the criteria listed. Where a defect necessarily breaks two criteria, the case says why.
 * Geometry of the default heart (128×128): long axis at column 64, LV rows 20–79 with half-width 18
 * (columns 46–82), myocardium 7 px thick (left wall columns 39–45, right wall 83–89), LA from row 80.
 */

const { rows: ROWS, cols: COLS } = DEFAULT_HEART;
const LV = 1;
const MYO = 2;
const LA = 3;
const BG = 0;

interface DefectCase {
  defect: string;
  mask: () => Uint8Array;
  fails: CriterionId[];
}

const CASES: DefectCase[] = [
  {
    // A background hole inside the LV is also enclosed by LV ∪ myocardium, so it is a hole of both;
    // no hole of the LV alone exists (a myocardium island instead would break "single-myo").
    defect: 'a 2×2 background hole inside the LV',
    mask: () => paintRect(drawHeart(), COLS, 55, 56, 62, 63, BG),
    fails: ['holes-lv', 'holes-epi'],
  },
  { defect: 'a 2×2 background hole inside the LA', mask: () => paintRect(drawHeart(), COLS, 92, 93, 63, 64, BG), fails: ['holes-la'] },
  { defect: 'a 2×2 background hole inside the myocardium wall', mask: () => paintRect(drawHeart(), COLS, 60, 61, 41, 42, BG), fails: ['holes-epi'] },
  { defect: 'a second LV piece in the background', mask: () => paintRect(drawHeart(), COLS, 5, 6, 5, 6, LV), fails: ['single-lv'] },
  { defect: 'a second myocardium piece in the background', mask: () => paintRect(drawHeart(), COLS, 5, 6, 120, 121, MYO), fails: ['single-myo'] },
  { defect: 'a second LA piece in the background', mask: () => paintRect(drawHeart(), COLS, 120, 121, 5, 6, LA), fails: ['single-la'] },
  {
    // A gap that LV and myocardium enclose together is enclosed by their union too, so it is also a
    // hole of LV ∪ myocardium (only a diagonal-only seal could separate the two criteria).
    defect: 'a 6-pixel background channel between the LV and the left myocardium wall',
    mask: () => paintRect(drawHeart(), COLS, 55, 60, 46, 46, BG),
    fails: ['holes-epi', 'gap-lv-myo'],
  },
  { defect: 'a 5-pixel background pocket between the LV base and the LA', mask: () => paintRect(drawHeart(), COLS, 80, 80, 62, 66, BG), fails: ['gap-lv-la'] },
  { defect: 'an LA too narrow to close the LV base', mask: () => drawHeart({ laHalfWidth: 9 }), fails: ['frontier-lv-background'] },
  { defect: 'an LA wider than the whole myocardium', mask: () => drawHeart({ laHalfWidth: 28 }), fails: ['frontier-myo-la'] },
  { defect: 'a myocardium too thin for its LV (4 px)', mask: () => drawHeart({ myoThickness: 4 }), fails: ['width-ratio-lv-myo'] },
  {
    defect: 'a thick myocardium lump plus a 2-pixel neck in the other wall',
    mask: () => {
      const mask = paintDiskOnBackground(drawHeart(), ROWS, COLS, 50, 30, 12, MYO);
      return paintRect(mask, COLS, 65, 67, 85, 89, BG);
    },
    fails: ['erosion-ratio-myo'],
  },
  { defect: 'no LA (the myocardium closes the base instead)', mask: () => drawHeart({ withoutLa: true }), fails: ['structures-present'] },
  { defect: 'no LV', mask: () => relabel(drawHeart(), LV, BG), fails: ['structures-present'] },
];

function failuresOf(mask: Uint8Array, rows = ROWS, cols = COLS): CriterionId[] {
  return isAnatomicallyValid(mask, rows, cols).failures;
}

describe('anatomical criteria on hand-made masks', () => {
  it('the drawn heart passes every criterion, at 128×128 and at 256×256', () => {
    const verdict = isAnatomicallyValid(drawHeart(), ROWS, COLS);
    expect({ failures: verdict.failures, picture: verdict.valid ? '' : asText(drawHeart(), COLS) }).toEqual({ failures: [], picture: '' });
    const big = drawHeart({
      rows: 256,
      cols: 256,
      centerCol: 128,
      apexRow: 40,
      baseRow: 160,
      lvHalfWidth: 36,
      capHeight: 54,
      myoThickness: 14,
      laHalfWidth: 37,
      laHeight: 56,
    });
    expect(failuresOf(big, 256, 256)).toEqual([]);
  });

  it.each(CASES)('$defect fails exactly $fails', ({ mask, fails }) => {
    expect(failuresOf(mask())).toEqual(fails);
  });

  it('every criterion is exercised by at least one defect', () => {
    const exercised = new Set(CASES.flatMap((c) => c.fails));
    expect(CRITERIA.map((c) => c.id).filter((id) => !exercised.has(id))).toEqual([]);
  });

  it('reports the measured values that decide each defect', () => {
    const criteria = (mask: Uint8Array) => isAnatomicallyValid(mask, ROWS, COLS).criteria;
    // Gaps: 6 channel pixels against H·W/2^14 = 1 pixel.
    expect(criteria(paintRect(drawHeart(), COLS, 55, 60, 46, 46, BG))['gap-lv-myo']).toEqual({ pass: false, value: 6, threshold: 1 });
    // A one-pixel pocket is within the small-region allowance, though it is still a hole of LV ∪ myocardium.
    const pocket = criteria(paintRect(drawHeart(), COLS, 57, 57, 46, 46, BG));
    expect(pocket['gap-lv-myo']).toEqual({ pass: true, value: 1, threshold: 1 });
    expect(pocket['holes-epi']).toEqual({ pass: false, value: 1, threshold: 0 });
    // Stray pieces count their pixels.
    expect(criteria(paintRect(drawHeart(), COLS, 5, 6, 5, 6, LV))['single-lv']).toEqual({ pass: false, value: 4, threshold: 0 });
    // Width ratio on the straight part: LV 37 px over two 4-px walls.
    expect(criteria(drawHeart({ myoThickness: 4 }))['width-ratio-lv-myo'].value).toBeCloseTo(37 / 8, 12);
    // Frontiers are measured on the 128-px mask enlarged twice (to 256 px). The drawn heart's LA meets
    // each wall at the wall's inner corner only: 3 pixels once enlarged, a corner touch, so no frontier.
    expect(criteria(drawHeart())['frontier-myo-la'].value).toBe(0);
    // An LA wider than the myocardium lies under the whole 7-px end of each wall: 14 pixels per side
    // once enlarged, over the 2 × 51-px myocardium width.
    expect(criteria(drawHeart({ laHalfWidth: 28 }))['frontier-myo-la'].value).toBeCloseTo(28 / 102, 12);
    // Narrow LA: per side, 9 LV base pixels above the background (18 enlarged) plus the one touching it
    // only diagonally at the LA's edge, over the 2 × 37-px LV width.
    expect(criteria(drawHeart({ laHalfWidth: 9 }))['frontier-lv-background'].value).toBeCloseTo(38 / 74, 12);
  });

  it('a missing myocardium is reported once; criteria involving it are not measured', () => {
    const verdict = isAnatomicallyValid(relabel(drawHeart(), MYO, BG), ROWS, COLS);
    expect(verdict.criteria['structures-present']).toEqual({ pass: false, value: 1, threshold: 0 });
    for (const id of ['holes-epi', 'single-myo', 'gap-lv-myo', 'frontier-myo-la', 'width-ratio-lv-myo', 'erosion-ratio-myo'] as const) {
      expect({ id, ...verdict.criteria[id] }).toEqual({ id, pass: true, value: NaN, threshold: expect.any(Number) });
    }
    // The LV now borders the background all round, which its frontier criterion still measures.
    expect(verdict.failures).toEqual(['structures-present', 'frontier-lv-background']);
    expect(isAnatomicallyValid(new Uint8Array(ROWS * COLS), ROWS, COLS).criteria['structures-present'].value).toBe(3);
  });

  it('thresholds are parameters', () => {
    const thin = drawHeart({ myoThickness: 4 });
    const verdict = isAnatomicallyValid(thin, ROWS, COLS, {
      maxLvBackgroundFrontier: 0.4,
      maxMyoLaFrontier: 0.11,
      maxLvMyoWidthRatio: 5,
      minMyoErosionRatio: 0.12,
      smallRegionFraction: 2 ** -14,
    });
    expect(verdict.failures).toEqual([]);
  });
});
