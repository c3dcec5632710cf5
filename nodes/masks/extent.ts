import { labelSet, type LabelMask } from '../data/label-mask';
import { IDENTITY, type Affine } from './warp';

/**
 * Extremes of the pixel centres carrying some labels, after mapping them by `frame` (e.g. into the
 * rotated registration frame). A pixel reaches half a pixel beyond its centre, so the structure's
 * extent along an axis is `bottom − top + 1`. Empty regions give top = left = +∞.
 */
export interface Extent {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export function extentInFrame(mask: LabelMask, labels: readonly number[], frame: Affine = IDENTITY): Extent {
  const member = labelSet(labels);
  const [a, b, c, d] = frame.m;
  const [tr, tc] = frame.t;
  const extent: Extent = { top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity };
  for (let row = 0; row < mask.height; row++) {
    for (let col = 0; col < mask.width; col++) {
      if (member[mask.data[row * mask.width + col]] === 0) continue;
      const r = a * (row + 0.5) + b * (col + 0.5) + tr;
      const k = c * (row + 0.5) + d * (col + 0.5) + tc;
      if (r < extent.top) extent.top = r;
      if (r > extent.bottom) extent.bottom = r;
      if (k < extent.left) extent.left = k;
      if (k > extent.right) extent.right = k;
    }
  }
  return extent;
}
