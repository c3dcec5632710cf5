/**
 * A single label map (DESIGN.md §4 labels) with its size, the unit every geometry function in this
 * folder works on. Pixel (row, col) covers the square [row, row+1) × [col, col+1): "edge" coordinates,
 * in which resizing is a plain scale and a pixel's centre is (row + 0.5, col + 0.5).
 */
export interface LabelMask {
  height: number;
  width: number;
  /** Row-major labels, height × width. */
  data: Uint8Array;
}

export const Label = { background: 0, lv: 1, myocardium: 2, la: 3 } as const;
export type LabelValue = (typeof Label)[keyof typeof Label];
/** The largest label: a mask's values are 0..MAX_LABEL. */
export const MAX_LABEL = Label.la;
/** How many labels there are (one channel each when one-hot encoded). */
export const LABEL_COUNT = MAX_LABEL + 1;
/** What the labels mean, for messages. */
export const LABEL_MEANING = '0 background, 1 LV, 2 myocardium, 3 LA';

/** The epicardium is the LV cavity together with the myocardium around it. */
export const EPICARDIUM: readonly LabelValue[] = [Label.lv, Label.myocardium];
export const FOREGROUND: readonly LabelValue[] = [Label.lv, Label.myocardium, Label.la];

/** A lookup table label → member, so inner loops test membership with one array read. */
export function labelSet(labels: readonly number[]): Uint8Array {
  const set = new Uint8Array(256);
  for (const label of labels) set[label] = 1;
  return set;
}

export function countLabels(mask: LabelMask, labels: readonly number[]): number {
  const member = labelSet(labels);
  let count = 0;
  for (let i = 0; i < mask.data.length; i++) count += member[mask.data[i]];
  return count;
}
