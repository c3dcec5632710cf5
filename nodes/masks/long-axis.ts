import { Label } from '../data/label-mask';
import { principalAxis, regionMoments, type LabelSums } from './moments';

/**
 * The LV long axis, defined as in Painchaud et al.'s CAMUS registration (vital's
 * CamusRegisteringTransformer): the principal axis of the LV cavity's pixel distribution. A principal axis
 * has no sign, so we orient it towards the apex, i.e. away from the LA centroid (CAMUS images show the apex
 * at the top and the atrium below); without an LA it points up. That makes "apex up" a rotation of −angle.
 */
export interface LongAxis {
  /** Degrees, clockwise on screen from "up" (−row): 0 apex at the top, 90 apex to the right; in (−180, 180]. */
  angle: number;
  /** Unit vector [row, col] from the LV centroid towards the apex. */
  direction: [number, number];
}

/** From a mask's labelSums (in pixel or normalised coordinates); undefined when the mask has no LV. */
export function lvLongAxis(sums: LabelSums): LongAxis | undefined {
  const lv = regionMoments(sums, [Label.lv]);
  if (lv.area === 0) return undefined;
  let direction = principalAxis(lv.covariance);
  const la = regionMoments(sums, [Label.la]);
  const towardsBase: [number, number] = la.area > 0 ? [la.centroid[0] - lv.centroid[0], la.centroid[1] - lv.centroid[1]] : [1, 0];
  if (direction[0] * towardsBase[0] + direction[1] * towardsBase[1] > 0) direction = [-direction[0], -direction[1]];
  return { angle: angleFromUp(direction), direction };
}

/** Clockwise angle in degrees from "up" of a [row, col] direction, in (−180, 180]. */
export function angleFromUp(direction: [number, number]): number {
  const degrees = (Math.atan2(direction[1], -direction[0]) * 180) / Math.PI;
  return degrees === -180 ? 180 : degrees;
}
