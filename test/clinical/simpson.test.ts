import { Label } from '../../nodes/data/label-mask';
import { biplaneVolume, DISCS, ejectionFraction, viewDiscs, type ViewDiscs } from '../../nodes/clinical/simpson';
import { halfEllipseHeart, halfEllipsoidVolume } from '../rig/half-ellipse-heart';

/**
 * Known answers: two views of half an ellipse of the same length reconstruct half an ellipsoid, whose
 * volume is closed-form; the 20-disc midpoint sum of it is within 0.03 % of the integral, so what is
 * left is digitisation, at CAMUS's anisotropic native spacing and at others, and at several tilts.
 */

function discsOf(rows: number, cols: number, spacing: [number, number], length: number, halfWidth: number, tilt: number): ViewDiscs {
  const labels = halfEllipseHeart({ rows, cols, spacing, length, halfWidth, tilt });
  const result = viewDiscs(labels, rows, cols, spacing);
  if (!result.ok) throw new Error(`no discs: ${result.reason}`);
  return result.discs;
}

const CASES: { spacing: [number, number]; rows: number; cols: number }[] = [
  { spacing: [0.154, 0.308], rows: 1150, cols: 580 },
  { spacing: [0.3, 0.3], rows: 600, cols: 600 },
  { spacing: [0.5, 0.25], rows: 360, cols: 720 },
];
const TILTS_DEG = [0, 12, -25, 40, 90];
/** [length, 2CH half-width, 4CH half-width] mm: an ED-sized cavity (105 mL) and an ES-sized one (30 mL). */
const SHAPES: [number, number, number][] = [
  [80, 24, 26],
  [60, 15, 16],
];
/** Largest relative volume error allowed: measured worst 1.1 % (30 mL cavity, 0.5 mm rows), 0.44 % at CAMUS spacing. */
const TOLERANCE = 0.015;

describe("Simpson's biplane on half-ellipses (closed-form half-ellipsoid)", () => {
  it(`gives the volume within ${100 * TOLERANCE} % at ${CASES.length} spacings × ${TILTS_DEG.length} tilts × ${SHAPES.length} sizes`, () => {
    let worst = 0;
    for (const { spacing, rows, cols } of CASES) {
      for (const tiltDeg of TILTS_DEG) {
        for (const [length, w2, w4] of SHAPES) {
          const tilt = (tiltDeg * Math.PI) / 180;
          // 2CH and 4CH of the same patient: same length, different widths, slightly different tilts.
          const a = discsOf(rows, cols, spacing, length, w2, tilt);
          const b = discsOf(rows, cols, spacing, length, w4, tilt + 0.05);
          const expected = halfEllipsoidVolume(length, w2, w4);
          const error = Math.abs(biplaneVolume(a, b) - expected) / expected;
          worst = Math.max(worst, error);
          expect({ spacing, tiltDeg, length, error: error < TOLERANCE }).toEqual({ spacing, tiltDeg, length, error: true });
        }
      }
    }
    process.stdout.write(`simpson known answers: worst relative volume error ${(100 * worst).toFixed(3)} %\n`);
  });

  it('finds the long axis and the mitral base of a tilted half-ellipse', () => {
    const spacing: [number, number] = [0.154, 0.308];
    const discs = discsOf(900, 480, spacing, 80, 24, (20 * Math.PI) / 180);
    expect(discs.length).toBeGreaterThan(79.5);
    expect(discs.length).toBeLessThan(80.5);
    expect(discs.diameters).toHaveLength(DISCS);
    const baseWidth = Math.hypot(discs.base[0].y - discs.base[1].y, discs.base[0].x - discs.base[1].x);
    expect(Math.abs(baseWidth - 48)).toBeLessThan(1);
    // The widest disc is the one nearest the base; each disc towards the apex is narrower.
    for (let k = 1; k < DISCS; k++) expect(discs.diameters[k]).toBeLessThan(discs.diameters[k - 1] + 0.5);
  });

  it('takes the longer of the two long axes as L', () => {
    const spacing: [number, number] = [0.3, 0.3];
    const short = discsOf(460, 480, spacing, 70, 24, 0);
    const long = discsOf(460, 480, spacing, 80, 24, 0);
    const withLong = biplaneVolume(short, long);
    const sum = short.diameters.reduce((s, d, k) => s + d * long.diameters[k], 0);
    expect(withLong).toBeCloseTo(((Math.PI / 4) * sum * (long.length / DISCS)) / 1000, 10);
  });

  it('gives an EF of 0 when the ES masks equal the ED masks', () => {
    const spacing: [number, number] = [0.154, 0.308];
    const a = discsOf(900, 480, spacing, 80, 24, 0.1);
    const b = discsOf(900, 480, spacing, 80, 28, -0.1);
    expect(ejectionFraction(biplaneVolume(a, b), biplaneVolume(a, b))).toBe(0);
  });
});

describe('views without the landmarks are failures, not numbers', () => {
  it('a mask with no LV', () => {
    const labels = new Uint8Array(50 * 50).fill(Label.myocardium, 0, 600);
    expect(viewDiscs(labels, 50, 50, [0.3, 0.3])).toEqual({ ok: false, reason: 'no-lv' });
  });

  it('an LV of one pixel on the mitral plane (no long axis, which would make every disc NaN)', () => {
    const labels = new Uint8Array(10 * 10);
    labels[44] = Label.lv;
    labels[54] = Label.la;
    expect(viewDiscs(labels, 10, 10, [0.3, 0.3])).toEqual({ ok: false, reason: 'no-long-axis' });
  });

  it('an LV that does not touch the LA (no mitral plane)', () => {
    const labels = halfEllipseHeart({ rows: 460, cols: 480, spacing: [0.3, 0.3], length: 80, halfWidth: 24, tilt: 0 }).map((l) =>
      l === Label.la ? Label.background : l,
    );
    expect(viewDiscs(labels, 460, 480, [0.3, 0.3])).toEqual({ ok: false, reason: 'no-mitral-base' });
  });
});
