import { EPICARDIUM, Label, LABEL_MEANING, MAX_LABEL } from '../masks/label-mask';
import { crop, growBox, nonZeroBox } from '../metrics/box';
import { binaryMask } from '../metrics/segmentation-metrics';
import { labelComponents, pixelsOutsideLargest } from './components';
import { countOnes, gapPixels, holeMask } from './holes';
import { erosionRatioBeforeSplit, frontierRatio, widthRatio } from './measures';

/**
 * The anatomical criteria that tell a plausible LV / myocardium / LA mask from a degenerate one
 * (DESIGN.md §5), from Painchaud et al., "Cardiac Segmentation with Strong Anatomical Guarantees"
 * (IEEE TMI 2020) and its echocardiography follow-up; definitions and thresholds as their reference
 * implementation (vital: `vital/metrics/camus/anatomical/`, `vital/metrics/evaluate/segmentation.py`).
 *
 * Connectivity, chosen to match vital because the thresholds were fitted on its measurements:
 * - pieces of a structure are 8-connected (a diagonal touch joins two pieces: a one-pixel diagonal
 *   step on a contour is common in real and decoded masks and is not a second piece);
 * - holes are 8-connected complement components off the border (a region that leaks out through a
 *   diagonal gap is not enclosed); together these are lenient at diagonal pinches in both directions;
 * - gaps between two structures use 4-connectivity (a gap sealed only by a diagonal touch still counts).
 *
 * Differences from vital, on purpose:
 * - "structures-present" is its own criterion: vital lets a missing LA pass (its frontier and hole counts
 *   are 0); DESIGN.md says a missing structure is invalid. A criterion that involves a missing structure
 *   is not measured (value NaN, pass) so that the absence is reported once, by this criterion.
 * - the LV–LA gap really uses the LA: vital's `count_holes_between_lv_and_atrium` measures LV–MYO again.
 * - the erosion ratio is measured on the largest piece of the myocardium (see measures.ts).
 *
 * Resolution: the thresholds are vital's, fitted on CAMUS masks at 256×256. The two frontier ratios
 * count pixels along contacts that keep a few pixels whatever the size, so they grow as masks shrink.
 * Synthetic CAMUS masks (60 patients, 240 masks) all pass at native size and at 256 px (myo–LA median
 * 0.043, at most 0.093 on 20 of them), but the myo–LA ratio fails 8 of them at 128 px and 195 (81 %)
 * at 64 px (median 0.125). Filter at 256 px, or loosen maxMyoLaFrontier for smaller masks.
 */

export interface CriterionResult {
  pass: boolean;
  /**
   * The measured value. NaN (null in JSON) with pass true: not measured, a structure it involves is
   * missing. NaN with pass false: measured but undefined (a zero width on the centre-of-mass row).
   */
  value: number;
  /** The largest (bound "max") or smallest (bound "min") value that passes. */
  threshold: number;
}

export interface AnatomyThresholds {
  /** Largest LV–background frontier, as a fraction of the LV bounding-box width. */
  maxLvBackgroundFrontier: number;
  /** Largest myocardium–LA frontier, as a fraction of the myocardium bounding-box width. */
  maxMyoLaFrontier: number;
  /** Largest ratio of LV width to myocardium width on the row through their centre of mass. */
  maxLvMyoWidthRatio: number;
  /** Smallest ratio of erosions-before-the-myocardium-splits to its thickness. */
  minMyoErosionRatio: number;
  /** Regions up to this fraction of the image are noise: smaller gaps pass, smaller erosion crumbs are dropped. */
  smallRegionFraction: number;
}

/** vital's `vital/metrics/camus/anatomical/config.py`; small regions are H·W/2^14 there. */
export const DEFAULT_THRESHOLDS: Readonly<AnatomyThresholds> = {
  maxLvBackgroundFrontier: 0.4,
  maxMyoLaFrontier: 0.11,
  maxLvMyoWidthRatio: 4.15,
  minMyoErosionRatio: 0.12,
  smallRegionFraction: 2 ** -14,
};

type StructureKey = 'lv' | 'myo' | 'la';

/**
 * The binary masks every criterion reads, computed once per label map and cropped to the box around
 * all labelled pixels plus one pixel of background. The crop changes no measure: the background outside
 * the box is one region that reaches the image border (so holes and gaps are found the same), every
 * neighbour a frontier looks at is inside it, and the nearest non-myocardium pixel is never beyond it.
 */
export interface Structures {
  /** Size of the crop. */
  rows: number;
  cols: number;
  /** H·W of the whole image, which the small-region size scales with. */
  imagePixels: number;
  lv: Uint8Array;
  myo: Uint8Array;
  la: Uint8Array;
  /** LV ∪ myocardium. */
  epi: Uint8Array;
  background: Uint8Array;
  present: Record<StructureKey, boolean>;
}

export function structuresOf(labels: Uint8Array, rows: number, cols: number): Structures {
  if (labels.length !== rows * cols) throw new Error(`anatomy: a ${rows}×${cols} mask needs ${rows * cols} pixels, got ${labels.length}`);
  const bad = labels.findIndex((label) => label > MAX_LABEL);
  if (bad >= 0) {
    throw new Error(`anatomy: label ${labels[bad]} at row ${Math.floor(bad / cols)}, col ${bad % cols}; labels must be ${LABEL_MEANING}`);
  }
  const cropped = cropAroundLabels(labels, rows, cols);
  const lv = binaryMask(cropped.labels, [Label.lv]);
  const myo = binaryMask(cropped.labels, [Label.myocardium]);
  const la = binaryMask(cropped.labels, [Label.la]);
  return {
    rows: cropped.rows,
    cols: cropped.cols,
    imagePixels: rows * cols,
    lv,
    myo,
    la,
    epi: binaryMask(cropped.labels, EPICARDIUM),
    background: binaryMask(cropped.labels, [Label.background]),
    present: { lv: countOnes(lv) > 0, myo: countOnes(myo) > 0, la: countOnes(la) > 0 },
  };
}

function cropAroundLabels(labels: Uint8Array, rows: number, cols: number): { labels: Uint8Array; rows: number; cols: number } {
  const box = nonZeroBox([labels], rows, cols);
  if (box === undefined) return { labels: new Uint8Array(1), rows: 1, cols: 1 };
  const grown = growBox(box, 1, rows, cols);
  return { labels: crop(labels, cols, grown), rows: grown.rows, cols: grown.cols };
}

type Check = (s: Structures, t: AnatomyThresholds) => CriterionResult;

function atMost(value: number, threshold: number): CriterionResult {
  return { pass: value <= threshold, value, threshold };
}

function atLeast(value: number, threshold: number): CriterionResult {
  return { pass: value >= threshold, value, threshold };
}

/** Not measured when a structure it involves is missing: "structures-present" reports that. */
function measured(s: Structures, needs: readonly StructureKey[], threshold: number, check: () => CriterionResult): CriterionResult {
  return needs.every((key) => s.present[key]) ? check() : { pass: true, value: NaN, threshold };
}

/** Value: how many of LV, myocardium and LA are missing. */
export const structuresPresent: Check = (s) => atMost((['lv', 'myo', 'la'] as const).filter((key) => !s.present[key]).length, 0);

const holePixels = (mask: Uint8Array, s: Structures): number => countOnes(holeMask(mask, s.rows, s.cols, 8));

/** Value: pixels in holes of the LV. */
export const noHolesInLv: Check = (s) => measured(s, ['lv'], 0, () => atMost(holePixels(s.lv, s), 0));

/** Value: pixels in holes of the LA. */
export const noHolesInLa: Check = (s) => measured(s, ['la'], 0, () => atMost(holePixels(s.la, s), 0));

/** Value: pixels in holes of LV ∪ myocardium (a hole in the myocardium band counts). */
export const noHolesInEpicardium: Check = (s) => measured(s, ['lv', 'myo'], 0, () => atMost(holePixels(s.epi, s), 0));

const strayPixels = (mask: Uint8Array, s: Structures): number => pixelsOutsideLargest(labelComponents(mask, s.rows, s.cols, 8));

/** Value: LV pixels outside its largest piece. */
export const singleLv: Check = (s) => measured(s, ['lv'], 0, () => atMost(strayPixels(s.lv, s), 0));

/** Value: myocardium pixels outside its largest piece. */
export const singleMyocardium: Check = (s) => measured(s, ['myo'], 0, () => atMost(strayPixels(s.myo, s), 0));

/** Value: LA pixels outside its largest piece. */
export const singleLa: Check = (s) => measured(s, ['la'], 0, () => atMost(strayPixels(s.la, s), 0));

const smallRegion = (s: Structures, t: AnatomyThresholds): number => s.imagePixels * t.smallRegionFraction;

/** Value: pixels in the gap between LV and myocardium; threshold H·W·smallRegionFraction. */
export const noGapLvMyo: Check = (s, t) => measured(s, ['lv', 'myo'], smallRegion(s, t), () => atMost(gapPixels(s.lv, s.myo, s.rows, s.cols), smallRegion(s, t)));

/** Value: pixels in the gap between LV and LA; threshold H·W·smallRegionFraction. */
export const noGapLvLa: Check = (s, t) => measured(s, ['lv', 'la'], smallRegion(s, t), () => atMost(gapPixels(s.lv, s.la, s.rows, s.cols), smallRegion(s, t)));

/** Value: LV pixels touching the background over the LV bounding-box width. */
export const lvBackgroundFrontier: Check = (s, t) =>
  measured(s, ['lv'], t.maxLvBackgroundFrontier, () => atMost(frontierRatio(s.lv, s.background, s.rows, s.cols), t.maxLvBackgroundFrontier));

/** Value: myocardium pixels touching the LA over the myocardium bounding-box width. */
export const myoLaFrontier: Check = (s, t) =>
  measured(s, ['myo', 'la'], t.maxMyoLaFrontier, () => atMost(frontierRatio(s.myo, s.la, s.rows, s.cols), t.maxMyoLaFrontier));

/** Value: LV width over myocardium width on the row through their centre of mass (NaN fails: a zero width). */
export const lvMyoWidthRatio: Check = (s, t) =>
  measured(s, ['lv', 'myo'], t.maxLvMyoWidthRatio, () => atMost(widthRatio(s.lv, s.myo, s.rows, s.cols), t.maxLvMyoWidthRatio));

/** Value: erosions before the myocardium splits, over its thickness. */
export const myoErosionRatio: Check = (s, t) =>
  measured(s, ['myo'], t.minMyoErosionRatio, () => atLeast(erosionRatioBeforeSplit(s.myo, s.rows, s.cols, smallRegion(s, t)), t.minMyoErosionRatio));

export type CriterionId =
  | 'structures-present'
  | 'holes-lv'
  | 'holes-la'
  | 'holes-epi'
  | 'single-lv'
  | 'single-myo'
  | 'single-la'
  | 'gap-lv-myo'
  | 'gap-lv-la'
  | 'frontier-lv-background'
  | 'frontier-myo-la'
  | 'width-ratio-lv-myo'
  | 'erosion-ratio-myo';

export interface Criterion {
  id: CriterionId;
  description: string;
  bound: 'max' | 'min';
  check: Check;
}

/** Every criterion, in the order reports list them. */
export const CRITERIA: readonly Criterion[] = [
  { id: 'structures-present', description: 'LV, myocardium and LA are all present (value: how many are missing)', bound: 'max', check: structuresPresent },
  { id: 'holes-lv', description: 'no hole in the LV (value: hole pixels)', bound: 'max', check: noHolesInLv },
  { id: 'holes-la', description: 'no hole in the LA (value: hole pixels)', bound: 'max', check: noHolesInLa },
  { id: 'holes-epi', description: 'no hole in LV ∪ myocardium (value: hole pixels)', bound: 'max', check: noHolesInEpicardium },
  { id: 'single-lv', description: 'the LV is one piece (value: pixels outside the largest piece)', bound: 'max', check: singleLv },
  { id: 'single-myo', description: 'the myocardium is one piece (value: pixels outside the largest piece)', bound: 'max', check: singleMyocardium },
  { id: 'single-la', description: 'the LA is one piece (value: pixels outside the largest piece)', bound: 'max', check: singleLa },
  { id: 'gap-lv-myo', description: 'no gap between LV and myocardium larger than the small-region size (value: gap pixels)', bound: 'max', check: noGapLvMyo },
  { id: 'gap-lv-la', description: 'no gap between LV and LA larger than the small-region size (value: gap pixels)', bound: 'max', check: noGapLvLa },
  { id: 'frontier-lv-background', description: 'LV–background frontier over LV width', bound: 'max', check: lvBackgroundFrontier },
  { id: 'frontier-myo-la', description: 'myocardium–LA frontier over myocardium width', bound: 'max', check: myoLaFrontier },
  { id: 'width-ratio-lv-myo', description: 'LV width over myocardium width at their centre of mass', bound: 'max', check: lvMyoWidthRatio },
  { id: 'erosion-ratio-myo', description: 'erosions before the myocardium splits, over its thickness', bound: 'min', check: myoErosionRatio },
];
