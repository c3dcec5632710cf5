import { distanceTransform } from '../../nodes/metrics/edt';
import { binaryMetrics, segmentationMetrics, surface } from '../../nodes/metrics/segmentation-metrics';

/** Cases whose answers follow from geometry alone, worked out by hand. */

function square(rows: number, cols: number, top: number, left: number, size: number, value = 1, into?: Uint8Array): Uint8Array {
  const mask = into ?? new Uint8Array(rows * cols);
  for (let r = top; r < top + size; r++) for (let c = left; c < left + size; c++) mask[r * cols + c] = value;
  return mask;
}

const ROWS = 64;
const COLS = 64;
const SPACING: [number, number] = [0.3, 0.2];

describe('hand-computed metrics', () => {
  it.each([1, 2, 5])('two squares offset by %i rows: HD = k·row spacing', (k) => {
    const a = square(ROWS, COLS, 10, 10, 30);
    const b = square(ROWS, COLS, 10 + k, 10, 30);
    expect(binaryMetrics(a, b, ROWS, COLS, SPACING).hd).toBeCloseTo(k * SPACING[0], 12);
  });

  it.each([1, 3, 7])('two squares offset by %i columns: HD = k·column spacing', (k) => {
    const a = square(ROWS, COLS, 10, 10, 30);
    const b = square(ROWS, COLS, 10, 10 + k, 30);
    expect(binaryMetrics(a, b, ROWS, COLS, SPACING).hd).toBeCloseTo(k * SPACING[1], 12);
  });

  it('overlapping squares offset by k rows have Dice 2(n−k)n / 2n²', () => {
    const n = 30;
    const k = 4;
    const a = square(ROWS, COLS, 10, 10, n);
    const b = square(ROWS, COLS, 10 + k, 10, n);
    expect(binaryMetrics(a, b, ROWS, COLS, SPACING).dice).toBeCloseTo((2 * (n - k) * n) / (2 * n * n), 12);
  });

  it('identical masks: Dice 1, HD 0, ASSD 0', () => {
    const a = square(ROWS, COLS, 5, 20, 12);
    expect(binaryMetrics(a, a.slice(), ROWS, COLS, SPACING)).toEqual({ dice: 1, hd: 0, assd: 0, hd95: 0, mad: 0 });
  });

  it('two single pixels: HD and ASSD are their anisotropic distance, Dice 0', () => {
    const a = square(ROWS, COLS, 3, 4, 1);
    const b = square(ROWS, COLS, 3 + 5, 4 + 12, 1);
    const distance = Math.hypot(5 * SPACING[0], 12 * SPACING[1]);
    const result = binaryMetrics(a, b, ROWS, COLS, SPACING);
    expect(result.dice).toBe(0);
    expect(result.hd).toBeCloseTo(distance, 12);
    expect(result.assd).toBeCloseTo(distance, 12);
  });

  it('ASSD pools both directions (MedPy 0.5), not the mean of the two directed means', () => {
    // a: one pixel at (0,0); b: pixels at (0,0) and (0,4) (unit spacing). a→b: [0]; b→a: [0, 4].
    // Pooled: (0 + 0 + 4) / 3 = 4/3; the mean of directed means would be (0 + 2) / 2 = 1.
    const rows = 1;
    const cols = 5;
    const a = Uint8Array.from([1, 0, 0, 0, 0]);
    const b = Uint8Array.from([1, 0, 0, 0, 1]);
    const result = binaryMetrics(a, b, rows, cols, [1, 1]);
    expect(result.assd).toBeCloseTo(4 / 3, 12);
    expect(result.hd).toBe(4);
    // CAMUS's mean absolute distance is that mean of the directed means; HD95 interpolates NumPy's way
    // between the sorted pooled distances [0, 0, 4] at position 0.95 · 2 = 1.9: 0 + 0.9 · 4.
    expect(result.mad).toBe(1);
    expect(result.hd95).toBeCloseTo(3.6, 12);
  });

  it('empty masks: Dice 1 for empty vs empty, 0 for one empty; distances NaN', () => {
    const empty = new Uint8Array(ROWS * COLS);
    const full = square(ROWS, COLS, 1, 1, 5);
    expect(binaryMetrics(empty, empty.slice(), ROWS, COLS, SPACING)).toEqual({ dice: 1, hd: NaN, assd: NaN, hd95: NaN, mad: NaN });
    expect(binaryMetrics(full, empty, ROWS, COLS, SPACING)).toEqual({ dice: 0, hd: NaN, assd: NaN, hd95: NaN, mad: NaN });
    expect(binaryMetrics(empty, full, ROWS, COLS, SPACING)).toEqual({ dice: 0, hd: NaN, assd: NaN, hd95: NaN, mad: NaN });
  });

  it('surface is the mask XOR its 4-connected erosion, and the image border counts as outside', () => {
    // A 3×3 block in the corner of a 4×4 image: only the centre pixel (1,1) survives erosion.
    const mask = square(4, 4, 0, 0, 3);
    expect(Array.from(surface(mask, 4, 4))).toEqual([1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    // A plus sign: with the 4-connected cross its centre is interior; an 8-connected square would not keep it.
    const plus = Uint8Array.from([0, 1, 0, 1, 1, 1, 0, 1, 0]);
    const padded = new Uint8Array(25);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) padded[(r + 1) * 5 + c + 1] = plus[r * 3 + c];
    expect(surface(padded, 5, 5)[12]).toBe(0);
  });

  it('endo is label 1, epi is labels 1 ∪ 2, LA is label 3', () => {
    // gt: LV square with a myocardium ring; pred: the same, but the ring is labelled LA.
    const gt = square(ROWS, COLS, 10, 10, 20, 2);
    square(ROWS, COLS, 14, 14, 12, 1, gt);
    const pred = square(ROWS, COLS, 10, 10, 20, 3);
    square(ROWS, COLS, 14, 14, 12, 1, pred);
    const result = segmentationMetrics(pred, gt, ROWS, COLS, SPACING);
    expect(result.endo).toEqual({ dice: 1, hd: 0, assd: 0, hd95: 0, mad: 0 });
    // pred's epi is only the inner square; gt's is the whole 20×20: Dice = 2·144 / (144 + 400).
    expect(result.epi.dice).toBeCloseTo((2 * 144) / (144 + 400), 12);
    expect(result.epi.hd).toBeCloseTo(Math.hypot(4 * SPACING[0], 4 * SPACING[1]), 12);
    expect(result.la).toEqual({ dice: 0, hd: NaN, assd: NaN, hd95: NaN, mad: NaN });
  });
});

describe('EDT', () => {
  it('gives the anisotropic distance to the nearest feature and 0 on features', () => {
    const features = new Uint8Array(7 * 9);
    features[2 * 9 + 3] = 1;
    const d = distanceTransform(features, 7, 9, [0.5, 2]);
    expect(d[2 * 9 + 3]).toBe(0);
    expect(d[6 * 9 + 3]).toBeCloseTo(4 * 0.5, 12);
    expect(d[2 * 9 + 8]).toBeCloseTo(5 * 2, 12);
    expect(d[0]).toBeCloseTo(Math.hypot(2 * 0.5, 3 * 2), 12);
  });

  it('is Infinity everywhere when there is no feature, and refuses a wrong shape or spacing', () => {
    expect(Array.from(distanceTransform(new Uint8Array(6), 2, 3, [1, 1]))).toEqual(Array(6).fill(Infinity));
    expect(() => distanceTransform(new Uint8Array(5), 2, 3, [1, 1])).toThrow('edt: a 2×3 image needs 6 pixels, got 5');
    expect(() => distanceTransform(new Uint8Array(6), 2, 3, [0, 1])).toThrow('edt: spacing must be positive, got [0, 1]');
  });
});
