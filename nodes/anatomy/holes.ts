import { labelComponents, type Connectivity } from './components';

/**
 * Holes and gaps, as Painchaud et al.'s reference implementation (vital, `Segmentation2DMetrics.
 * count_holes` and `count_holes_between_regions`) measures them.
 *
 * A hole of a structure is a component of its complement that does not touch the image border, i.e.
 * one the structure alone encloses. vital pads the image with background and drops the component
 * holding the padding, which is the same thing.
 */

/** 1 on every pixel of a hole of `mask`: complement components (of the given connectivity) off the border. */
export function holeMask(mask: Uint8Array, rows: number, cols: number, connectivity: Connectivity): Uint8Array {
  const complement = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) complement[i] = mask[i] === 0 ? 1 : 0;
  const components = labelComponents(complement, rows, cols, connectivity);
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < out.length; i++) {
    const label = components.labels[i];
    if (label !== 0 && !components.touchesBorder[label - 1]) out[i] = 1;
  }
  return out;
}

export function countOnes(mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) count++;
  return count;
}

/**
 * Pixels in the gap between two structures that should touch (LV and myocardium, LV and LA): the
 * region that `a` and `b` enclose together but neither encloses alone.
 *
 * Each structure's own holes are filled first unless they hold the other structure (an LV enclosed by
 * the myocardium is not a gap); then the gap is every complement component of the union that does not
 * reach the border. 4-connectivity throughout, as vital: a gap sealed only by a diagonal touch counts.
 * vital treats as "outside" only the component holding pixel [0, 0]; here it is every component that
 * touches the border, which agrees whenever the structures do not cut the image in two.
 */
export function gapPixels(a: Uint8Array, b: Uint8Array, rows: number, cols: number): number {
  const filledA = fillHolesWithout(a, b, rows, cols);
  const filledB = fillHolesWithout(b, a, rows, cols);
  const union = new Uint8Array(a.length);
  for (let i = 0; i < union.length; i++) union[i] = filledA[i] !== 0 || filledB[i] !== 0 ? 1 : 0;
  return countOnes(holeMask(union, rows, cols, 4));
}

/** `mask` with its 4-connected holes filled, except holes that contain a pixel of `other`. */
function fillHolesWithout(mask: Uint8Array, other: Uint8Array, rows: number, cols: number): Uint8Array {
  const complement = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) complement[i] = mask[i] === 0 ? 1 : 0;
  const components = labelComponents(complement, rows, cols, 4);
  const holdsOther = new Uint8Array(components.count + 1);
  for (let i = 0; i < mask.length; i++) if (other[i] !== 0) holdsOther[components.labels[i]] = 1;
  const out = mask.slice();
  for (let i = 0; i < out.length; i++) {
    const label = components.labels[i];
    if (label !== 0 && !components.touchesBorder[label - 1] && holdsOther[label] === 0) out[i] = 1;
  }
  return out;
}
