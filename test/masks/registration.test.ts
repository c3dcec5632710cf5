import { countLabels, FOREGROUND, Label, type LabelMask } from '../../nodes/data/label-mask';
import { lvLongAxis } from '../../nodes/masks/long-axis';
import { labelSums, regionMoments } from '../../nodes/masks/moments';
import { registerMask, unregister } from '../../nodes/masks/registration';
import { drawHeart, labelDice, UPRIGHT_HEART, type HeartShape } from './draw-heart';

function foregroundBox(mask: LabelMask): { top: number; bottom: number; left: number; right: number } {
  let top = Infinity;
  let bottom = -Infinity;
  let left = Infinity;
  let right = -Infinity;
  for (let r = 0; r < mask.height; r++) {
    for (let c = 0; c < mask.width; c++) {
      if (mask.data[r * mask.width + c] === Label.background) continue;
      top = Math.min(top, r);
      bottom = Math.max(bottom, r);
      left = Math.min(left, c);
      right = Math.max(right, c);
    }
  }
  return { top, bottom, left, right };
}

const POSES: HeartShape[] = [-45, -30, -10, 0, 15, 35, 60].map((angle, i) => ({
  ...UPRIGHT_HEART,
  angle,
  base: [0.58 + 0.02 * (i % 3), 0.45 + 0.03 * (i % 4)],
}));

describe('registration', () => {
  it.each(POSES.map((pose) => [pose.angle, pose] as const))('round-trips a heart tilted by %p° with Dice ≥ 0.98 per structure', (_angle, pose) => {
    const mask = drawHeart(128, 128, pose);
    const { params, registered } = registerMask(mask, { size: 128 });
    const back = unregister(registered, params);
    for (const label of [Label.lv, Label.myocardium, Label.la]) expect(labelDice(mask, back, label)).toBeGreaterThanOrEqual(0.98);
  });

  it('round-trips a non-square mask into a smaller registered square', () => {
    const mask = drawHeart(150, 112, { ...UPRIGHT_HEART, angle: 25 });
    const { params, registered } = registerMask(mask, { size: 96 });
    expect(params.originalSize).toEqual([150, 112]);
    const back = unregister(registered, params);
    for (const label of [Label.lv, Label.myocardium, Label.la]) expect(labelDice(mask, back, label)).toBeGreaterThanOrEqual(0.98);
  });

  it.each([-45, 0, 35, 170])('finds the drawn long axis (%p°) and turns it upright, apex up', (angle) => {
    // An LV as elongated as CAMUS's (length about 1.8× width): a rounder one's axis is at the mercy of pixels.
    const mask = drawHeart(128, 128, { ...UPRIGHT_HEART, angle, base: [0.55, 0.5], lvLength: 0.34, lvHalfWidth: 0.095, laLength: 0.16 });
    const { params, registered } = registerMask(mask, { size: 128 });
    expect(Math.abs(params.angle - angle)).toBeLessThan(1.5);
    const sums = labelSums(registered);
    expect(Math.abs(lvLongAxis(sums)!.angle)).toBeLessThan(1.5);
    expect(regionMoments(sums, [Label.la]).centroid[0]).toBeGreaterThan(regionMoments(sums, [Label.lv]).centroid[0]);
  });

  it('crops a square box around every structure with a 5 % margin on each side', () => {
    const { registered } = registerMask(drawHeart(128, 128, { ...UPRIGHT_HEART, angle: 20 }), { size: 110 });
    const box = foregroundBox(registered);
    const height = box.bottom - box.top + 1;
    const width = box.right - box.left + 1;
    // The longer side fills 1/1.1 of the square; the shorter one is centred.
    expect(Math.abs(Math.max(height, width) - 100)).toBeLessThanOrEqual(2);
    expect(Math.abs(box.top - (109 - box.bottom))).toBeLessThanOrEqual(2);
    expect(Math.abs(box.left - (109 - box.right))).toBeLessThanOrEqual(2);
    expect(countLabels(registered, FOREGROUND)).toBeGreaterThan(0);
  });

  it('takes the same heart in different poses and sizes to the same registered mask', () => {
    const heart = { ...UPRIGHT_HEART, lvLength: 0.3, laLength: 0.16 };
    const a = registerMask(drawHeart(128, 128, { ...heart, base: [0.6, 0.5] }), { size: 64 }).registered;
    const b = registerMask(drawHeart(200, 200, { ...heart, base: [0.55, 0.42], angle: -33 }), { size: 64 }).registered;
    for (const label of [Label.lv, Label.myocardium, Label.la]) expect(labelDice(a, b, label)).toBeGreaterThanOrEqual(0.93);
  });

  it('refuses a mask without an epicardium', () => {
    expect(() => registerMask({ height: 8, width: 8, data: new Uint8Array(64) }, { size: 8 })).toThrow(/no LV or myocardium/);
  });
});
