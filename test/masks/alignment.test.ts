import { alignMask, reshapeFactors } from '../../nodes/masks/alignment';
import type { LabelMask } from '../../nodes/data/label-mask';
import { maskPose, type MaskPose } from '../../nodes/masks/pose';
import type { TargetPose } from '../../nodes/masks/pose-sampler';
import { drawHeart, UPRIGHT_HEART } from './draw-heart';

function poseOf(mask: LabelMask): MaskPose {
  const pose = maskPose(mask);
  if ('missing' in pose) throw new Error(`test heart has no ${pose.missing}`);
  return pose;
}

function targetFrom(pose: MaskPose): TargetPose {
  return {
    centre: pose.centre,
    angle: pose.angle,
    epicardialArea: pose.epicardialArea,
    lvLaRatio: pose.lvArea / pose.laArea,
    aspect: pose.epicardiumHeight / pose.epicardiumWidth,
    donor: 0,
  };
}

const SOURCE = drawHeart(80, 80, { ...UPRIGHT_HEART, base: [0.5, 0.35], angle: -25, lvLength: 0.3, lvHalfWidth: 0.1, laLength: 0.14, laHalfWidth: 0.1 });
const TARGET_MASK = drawHeart(112, 112, {
  ...UPRIGHT_HEART,
  base: [0.64, 0.55],
  angle: 12,
  lvLength: 0.36,
  lvHalfWidth: 0.12,
  laLength: 0.24,
  laHalfWidth: 0.14,
});

describe('alignMask', () => {
  it('puts the epicardium centroid, angle, area, aspect and LV/LA ratio where the target says', () => {
    const source = poseOf(SOURCE);
    const target = targetFrom(poseOf(TARGET_MASK));
    const aligned = poseOf(alignMask(SOURCE, source, target, [112, 112], reshapeFactors(source, target, 3)));
    expect(Math.hypot(aligned.centre[0] - target.centre[0], aligned.centre[1] - target.centre[1])).toBeLessThan(1);
    expect(Math.abs(aligned.angle - target.angle)).toBeLessThan(1.5);
    expect(aligned.epicardialArea / target.epicardialArea).toBeCloseTo(1, 1);
    expect(aligned.lvArea / aligned.laArea / target.lvLaRatio).toBeCloseTo(1, 1);
    expect(aligned.epicardiumHeight / aligned.epicardiumWidth / target.aspect).toBeCloseTo(1, 1);
  });

  it("with maxReshape 1 only moves, turns and scales: the shape ratios stay the source's", () => {
    const source = poseOf(SOURCE);
    const target = targetFrom(poseOf(TARGET_MASK));
    const factors = reshapeFactors(source, target, 1);
    expect(factors.vertical).toBeCloseTo(factors.horizontal, 12);
    expect(factors.atrium).toBeCloseTo(factors.horizontal, 12);
    const aligned = poseOf(alignMask(SOURCE, source, target, [112, 112], factors));
    expect(aligned.lvArea / aligned.laArea / (source.lvArea / source.laArea)).toBeCloseTo(1, 1);
    expect(aligned.epicardialArea / target.epicardialArea).toBeCloseTo(1, 1);
    expect(Math.abs(aligned.angle - target.angle)).toBeLessThan(1.5);
  });
});
