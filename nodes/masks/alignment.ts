import type { LabelMask } from '../data/label-mask';
import type { MaskPose } from './pose';
import type { TargetPose } from './pose-sampler';
import { chain, rotation, scaling, translation, warpNearest, type Affine } from './warp';

/**
 * Moves one mask into a target pose and shape with a single nearest-neighbour warp. In the pose frame
 * (pose.ts: epicardium centroid at the origin, apex up) the mask is stretched across the long axis by
 * `horizontal`, along it above the base by `vertical` (the ventricle) and below the base by `atrium` (the
 * LA); then it is rotated to the target angle and its epicardium centroid put on the target centre. Three
 * factors match three target shape numbers: epicardial area (horizontal × vertical), epicardium aspect
 * (vertical / horizontal) and LV/LA area ratio (vertical / atrium). Stretching along the axes of the pose
 * frame keeps the LV's principal axis where it was, so the angle is exactly the target's.
 */
export interface ReshapeFactors {
  horizontal: number;
  vertical: number;
  atrium: number;
}

/** `maxReshape` bounds aspect and LV/LA changes (1 allows only a uniform scale) so no mask is distorted beyond recognition. */
export function reshapeFactors(pose: MaskPose, target: TargetPose, maxReshape: number): ReshapeFactors {
  const clamp = (ratio: number): number => (Number.isFinite(ratio) ? Math.min(maxReshape, Math.max(1 / maxReshape, ratio)) : 1);
  const area = target.epicardialArea / pose.epicardialArea;
  const aspect = clamp(target.aspect / (pose.epicardiumHeight / pose.epicardiumWidth));
  // A mask without an LA keeps the ventricle's stretch below the base too.
  const lvLa = pose.laArea > 0 ? clamp(target.lvLaRatio / (pose.lvArea / pose.laArea)) : 1;
  const vertical = Math.sqrt(area * aspect);
  return { horizontal: Math.sqrt(area / aspect), vertical, atrium: vertical / lvLa };
}

export function alignMask(mask: LabelMask, pose: MaskPose, target: TargetPose, size: [number, number], factors: ReshapeFactors): LabelMask {
  const { horizontal, vertical, atrium } = factors;
  // Stretching about the base moves the epicardium centroid (all of it is above the base) to this row.
  const stretchedCentroidRow = -pose.baseRow * vertical;
  // Output point → stretched pose frame, whose row 0 is the base (the hinge between the two stretches).
  const toStretched = chain(translation(-target.centre[0], -target.centre[1]), rotation(-target.angle), translation(stretchedCentroidRow, 0));
  const unstretch = (along: number): Affine => chain(scaling(1 / along, 1 / horizontal), translation(pose.baseRow, 0));
  const toSource = chain(rotation(pose.angle), translation(pose.centre[0], pose.centre[1]));
  return warpNearest(mask, size[0], size[1], {
    split: [toStretched.m[0], toStretched.m[1], toStretched.t[0]],
    first: chain(toStretched, unstretch(vertical), toSource),
    second: chain(toStretched, unstretch(atrium), toSource),
  });
}
