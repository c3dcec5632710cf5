import { Label } from '../../nodes/data/label-mask';
import { maskStatistics } from '../../nodes/masks/statistics';
import { drawHeart, UPRIGHT_HEART } from './draw-heart';

describe('mask statistics', () => {
  it('measure the drawn geometry in normalised coordinates', () => {
    const s = maskStatistics(drawHeart(192, 192, UPRIGHT_HEART));
    const { base, lvLength, lvHalfWidth, myoThickness, laLength, laHalfWidth } = UPRIGHT_HEART;
    expect(s.angle).toBeCloseTo(0, 6);
    expect(s.centroidCol).toBeCloseTo(0.5, 2);
    // The epicardium is a half ellipse standing on the base: its centroid is 4/(3π) of its height above it.
    expect(Math.abs(s.centroidRow - (base[0] - (4 / (3 * Math.PI)) * (lvLength + myoThickness)))).toBeLessThan(0.01);
    expect(s.epicardialArea / ((Math.PI * (lvLength + myoThickness) * (lvHalfWidth + myoThickness)) / 2)).toBeCloseTo(1, 1);
    // Half an ellipse (LV) over a whole one (LA).
    expect(s.lvLaRatio / ((lvLength * lvHalfWidth) / 2 / ((laLength / 2) * laHalfWidth))).toBeCloseTo(1, 1);
    expect(Math.abs(s.bboxTop - (base[0] - lvLength - myoThickness))).toBeLessThan(0.01);
    expect(Math.abs(s.bboxHeight - (lvLength + myoThickness + laLength))).toBeLessThan(0.015);
    expect(Math.abs(s.bboxWidth - 2 * (lvHalfWidth + myoThickness))).toBeLessThan(0.015);
    expect(Math.abs(s.bboxLeft - (0.5 - lvHalfWidth - myoThickness))).toBeLessThan(0.01);
  });

  it('agree between sizes of the same heart and follow its tilt', () => {
    const shape = { ...UPRIGHT_HEART, angle: 30, base: [0.6, 0.45] as [number, number], lvHalfWidth: 0.1 };
    const small = maskStatistics(drawHeart(96, 96, shape));
    const large = maskStatistics(drawHeart(240, 240, shape));
    expect(Math.abs(small.angle - 30)).toBeLessThan(1.5);
    expect(Math.abs(large.angle - 30)).toBeLessThan(1);
    for (const key of ['centroidRow', 'centroidCol', 'bboxTop', 'bboxLeft', 'bboxHeight', 'bboxWidth'] as const) {
      expect(Math.abs(small[key] - large[key])).toBeLessThan(0.015);
    }
    expect(small.epicardialArea / large.epicardialArea).toBeCloseTo(1, 1);
  });

  it('give NaN where a structure is missing', () => {
    const mask = drawHeart(64, 64, UPRIGHT_HEART);
    const withoutLa = { ...mask, data: mask.data.map((v) => (v === Label.la ? 0 : v)) };
    const withoutLv = { ...mask, data: mask.data.map((v) => (v === Label.lv ? 0 : v)) };
    expect(maskStatistics(withoutLa).lvLaRatio).toBeNaN();
    expect(maskStatistics(withoutLa).angle).toBeCloseTo(0, 6);
    expect(maskStatistics(withoutLv).angle).toBeNaN();
    expect(maskStatistics(withoutLv).epicardialArea).toBeGreaterThan(0);
  });
});
