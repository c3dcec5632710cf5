import { extentInFrame } from './extent';
import { EPICARDIUM, Label, type LabelMask } from '../data/label-mask';
import { lvLongAxis } from './long-axis';
import { labelSums, regionMoments } from './moments';
import { chain, rotation, translation, type Affine } from './warp';

/**
 * A mask's pose (where the heart is and which way it points) and the few shape numbers alignment
 * matches, in the mask's own pixels. The "pose frame" is the registration frame before cropping:
 * origin at the epicardium centroid, LV long axis pointing up (−row).
 */
export interface MaskPose {
  /** Epicardium centroid [row, col], edge coordinates. */
  centre: [number, number];
  /** LV long-axis angle, degrees clockwise from up (long-axis.ts). */
  angle: number;
  epicardialArea: number;
  lvArea: number;
  laArea: number;
  /** Epicardium extent along the long axis, pixels. */
  epicardiumHeight: number;
  /** Epicardium extent across the long axis, pixels. */
  epicardiumWidth: number;
  /** Pose-frame row of the epicardium's base (its lowest edge): the hinge between ventricle and atrium. */
  baseRow: number;
}

/** The pose, or the reason it cannot be computed. */
export function maskPose(mask: LabelMask): MaskPose | { missing: string } {
  const sums = labelSums(mask);
  const epicardium = regionMoments(sums, EPICARDIUM);
  const axis = lvLongAxis(sums);
  if (axis === undefined) return { missing: 'LV' };
  const myocardiumArea = regionMoments(sums, [Label.myocardium]).area;
  if (myocardiumArea === 0) return { missing: 'myocardium' };
  const toFrame = poseFrame(epicardium.centroid, axis.angle);
  const { top, bottom, left, right } = extentInFrame(mask, EPICARDIUM, toFrame);
  return {
    centre: epicardium.centroid,
    angle: axis.angle,
    epicardialArea: epicardium.area,
    lvArea: regionMoments(sums, [Label.lv]).area,
    laArea: regionMoments(sums, [Label.la]).area,
    epicardiumHeight: bottom - top + 1,
    epicardiumWidth: right - left + 1,
    baseRow: bottom + 0.5,
  };
}

/** Image → pose frame: move `centre` to the origin, then rotate by −angle so the long axis points up. */
export function poseFrame(centre: [number, number], angle: number): Affine {
  return chain(translation(-centre[0], -centre[1]), rotation(-angle));
}
