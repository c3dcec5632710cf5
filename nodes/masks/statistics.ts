import { extentInFrame } from './extent';
import { EPICARDIUM, FOREGROUND, Label, type LabelMask } from '../data/label-mask';
import { lvLongAxis } from './long-axis';
import { labelSums, regionMoments } from './moments';

/**
 * The pose and shape statistics whose distributions align-mask-distribution matches to a reference
 * (the paper's annex F). Positions and lengths are in normalised image coordinates (row / height,
 * col / width) so that masks of different sizes compare; the angle is measured in that normalised frame
 * too, which for square images is the pixel angle.
 */
export const STATISTICS = ['centroidRow', 'centroidCol', 'angle', 'epicardialArea', 'lvLaRatio', 'bboxTop', 'bboxLeft', 'bboxHeight', 'bboxWidth'] as const;

export type StatisticName = (typeof STATISTICS)[number];

/** One value per statistic; NaN where the mask lacks the structure it needs. */
export type MaskStatistics = Record<StatisticName, number>;

export const STATISTIC_DESCRIPTIONS: Record<StatisticName, string> = {
  centroidRow: 'epicardium (LV ∪ MYO) centroid row / height',
  centroidCol: 'epicardium centroid column / width',
  angle: 'LV long-axis angle, degrees clockwise from apex-up',
  epicardialArea: 'epicardium area / image area',
  lvLaRatio: 'LV area / LA area',
  bboxTop: 'top of the box around LV, MYO and LA / height',
  bboxLeft: 'left of that box / width',
  bboxHeight: 'height of that box / height',
  bboxWidth: 'width of that box / width',
};

export function maskStatistics(mask: LabelMask): MaskStatistics {
  const scale: [number, number] = [mask.height, mask.width];
  const sums = labelSums(mask, scale);
  const epicardium = regionMoments(sums, EPICARDIUM);
  const lvArea = regionMoments(sums, [Label.lv]).area;
  const laArea = regionMoments(sums, [Label.la]).area;
  const box = boundingBox(mask);
  return {
    centroidRow: epicardium.centroid[0],
    centroidCol: epicardium.centroid[1],
    angle: lvLongAxis(sums)?.angle ?? NaN,
    epicardialArea: epicardium.area / (mask.height * mask.width),
    lvLaRatio: laArea > 0 ? lvArea / laArea : NaN,
    bboxTop: box.top / mask.height,
    bboxLeft: box.left / mask.width,
    bboxHeight: box.height / mask.height,
    bboxWidth: box.width / mask.width,
  };
}

/** Pixel box [top, left, height, width] around every structure; NaN for an empty mask. */
function boundingBox(mask: LabelMask): { top: number; left: number; height: number; width: number } {
  const extent = extentInFrame(mask, FOREGROUND);
  if (extent.top === Infinity) return { top: NaN, left: NaN, height: NaN, width: NaN };
  return { top: extent.top - 0.5, left: extent.left - 0.5, height: extent.bottom - extent.top + 1, width: extent.right - extent.left + 1 };
}
