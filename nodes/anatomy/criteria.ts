import { EPICARDIUM, Label, LABEL_MEANING, MAX_LABEL } from '../data/label-mask';
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
 * Resolution: the thresholds are vital's, fitted on CAMUS masks at 256×256. Holes, pieces, gaps (the
 * small-region size scales with H·W), width and erosion ratios compare lengths or areas that scale
 * together. The two frontier ratios did not: a contact counts about one extra pixel at each end whatever
 * the size, so vital's measure read 2–4 times higher at 64 px than at 256 on the same synthetic CAMUS
 * masks, and 81 % of them failed the myocardium–LA criterion at 64 px. They are therefore measured on
 * the mask enlarged to about FRONTIER_REFERENCE_SIDE (see `frontierRatio`), so the same shape gets the
 * same verdict at 64, 128 and 256 px (test/anatomy/resolution.test.ts). Of 240 synthetic CAMUS masks
 * (60 patients) all pass at 256 and 128 px and 237 at 64 px: in the other 3 a wall's end lies beside the
 * LA over 2 pixels, 12 % of a myocardium 17 px wide; at 64 px a pixel is what the bound allows.
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

/** The image side vital's frontier thresholds were fitted at (CAMUS resized to 256×256). */
export const FRONTIER_REFERENCE_SIDE = 256;

/** The whole-number enlargement that brings an image's longer side nearest to FRONTIER_REFERENCE_SIDE (never below 1). */
export function frontierScale(rows: number, cols: number): number {
  return Math.max(1, Math.round(FRONTIER_REFERENCE_SIDE / Math.max(rows, cols)));
}

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
  /** `frontierScale` of the whole image. */
  frontierScale: number;
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
    frontierScale: frontierScale(rows, cols),
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

/** Value: pixels in holes of `key`'s mask (8-connected, off the border); measured when `needs` are present. */
function noHolesIn(key: 'lv' | 'la' | 'epi', needs: readonly StructureKey[]): Check {
  return (s) => measured(s, needs, 0, () => atMost(countOnes(holeMask(s[key], s.rows, s.cols, 8)), 0));
}

/** Value: pixels of `key` outside its largest 8-connected piece. */
function singlePiece(key: StructureKey): Check {
  return (s) => measured(s, [key], 0, () => atMost(pixelsOutsideLargest(labelComponents(s[key], s.rows, s.cols, 8)), 0));
}

const smallRegion = (s: Structures, t: AnatomyThresholds): number => s.imagePixels * t.smallRegionFraction;

/** Value: pixels in the gap between the LV and `other`; threshold H·W·smallRegionFraction. */
function noGapBetweenLvAnd(other: 'myo' | 'la'): Check {
  return (s, t) => measured(s, ['lv', other], smallRegion(s, t), () => atMost(gapPixels(s.lv, s[other], s.rows, s.cols), smallRegion(s, t)));
}

/** Value: `a` pixels touching `b` over the width of `a`, measured at the reference resolution (`frontierRatio`). */
function frontierAtMost(a: StructureKey, b: StructureKey | 'background', threshold: 'maxLvBackgroundFrontier' | 'maxMyoLaFrontier'): Check {
  const needs = b === 'background' ? [a] : [a, b];
  return (s, t) => measured(s, needs, t[threshold], () => atMost(frontierRatio(s[a], s[b], s.rows, s.cols, s.frontierScale), t[threshold]));
}

export const noHolesInLv = noHolesIn('lv', ['lv']);
export const noHolesInLa = noHolesIn('la', ['la']);
/** A hole in the myocardium band counts. */
export const noHolesInEpicardium = noHolesIn('epi', ['lv', 'myo']);
export const singleLv = singlePiece('lv');
export const singleMyocardium = singlePiece('myo');
export const singleLa = singlePiece('la');
export const noGapLvMyo = noGapBetweenLvAnd('myo');
export const noGapLvLa = noGapBetweenLvAnd('la');
export const lvBackgroundFrontier = frontierAtMost('lv', 'background', 'maxLvBackgroundFrontier');
export const myoLaFrontier = frontierAtMost('myo', 'la', 'maxMyoLaFrontier');

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
