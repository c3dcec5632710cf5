import { resizeNearest } from '../data/resample';
import { squaredDistanceTransform } from '../metrics/edt';
import { erode } from '../metrics/erosion';
import { labelComponents, largestComponent, withoutSmallComponents } from './components';
import { countOnes } from './holes';

// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { floor, max, min, sqrt } = Math;

/**
 * The three shape measures of Painchaud et al.'s criteria, as their reference implementation (vital,
 * `Segmentation2DMetrics`) defines them. Each takes binary [rows, cols] masks.
 */

/**
 * Length of the frontier between `a` and `b` relative to the width of `a`, measured as vital does at
 * the resolution its thresholds were fitted at: the mask is first enlarged `scale` times (each pixel a
 * `scale`×`scale` block, exactly what nearest resizing to that size gives); then the frontier is the
 * `a` pixels with a `b` pixel among their 8 neighbours (a 3×3 dilation of `b`; pixels beyond the image
 * are not `b`), and the width the column extent of `a`'s bounding box. NaN when `a` is empty.
 *
 * Why enlarge: each stretch of frontier counts its length plus about one pixel at each end (the `a`
 * pixels that touch `b` only diagonally). Those end pixels do not shrink with the image, so on a small
 * mask the same contact is a larger fraction of the width: at 64 px a myocardium is ~20 px wide, and a
 * corner touch alone is 3 of them. Enlarged, the ends weigh what they weigh at the reference size.
 *
 * A stretch (an 8-connected piece of the frontier) of at most `scale` + 2 pixels counts as none: that
 * is a contact one pixel long on the mask's own grid with its two end pixels, which is what a corner
 * touch, or a gap narrower than a pixel that resizing closed, becomes at any resolution. vital counts
 * only a frontier of a single pixel as none; at scale 1 this drops stretches of up to 3 pixels.
 */
export function frontierRatio(a: Uint8Array, b: Uint8Array, rows: number, cols: number, scale = 1): number {
  const bigRows = rows * scale;
  const bigCols = cols * scale;
  const bigA = scale === 1 ? a : resizeNearest(a, rows, cols, bigRows, bigCols);
  const bigB = scale === 1 ? b : resizeNearest(b, rows, cols, bigRows, bigCols);
  const frontier = new Uint8Array(bigA.length);
  let colMin = bigCols;
  let colMax = -1;
  for (let r = 0; r < bigRows; r++) {
    for (let c = 0; c < bigCols; c++) {
      if (bigA[r * bigCols + c] === 0) continue;
      if (c < colMin) colMin = c;
      if (c > colMax) colMax = c;
      if (touches(bigB, bigRows, bigCols, r, c)) frontier[r * bigCols + c] = 1;
    }
  }
  if (colMax < 0) return NaN;
  const shortest = scale + 3;
  let length = 0;
  for (const size of labelComponents(frontier, bigRows, bigCols, 8).sizes) if (size >= shortest) length += size;
  return length / (colMax - colMin + 1);
}

function touches(b: Uint8Array, rows: number, cols: number, r: number, c: number): boolean {
  for (let nr = max(0, r - 1); nr <= min(rows - 1, r + 1); nr++) {
    for (let nc = max(0, c - 1); nc <= min(cols - 1, c + 1); nc++) {
      if (b[nr * cols + nc] !== 0) return true;
    }
  }
  return false;
}

/**
 * Width of `a` over width of `b` along the image row through the centre of mass of `a ∪ b` (its row
 * coordinate truncated, as vital's `int(center_of_mass[0])`); widths count pixels, contiguous or not.
 * NaN when either width is zero on that row (or both masks are empty).
 */
export function widthRatio(a: Uint8Array, b: Uint8Array, rows: number, cols: number): number {
  let count = 0;
  let rowSum = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (a[i] !== 0 || b[i] !== 0) {
        count++;
        rowSum += r;
      }
    }
  }
  if (count === 0) return NaN;
  const row = floor(rowSum / count);
  let widthA = 0;
  let widthB = 0;
  for (let c = 0; c < cols; c++) {
    if (a[row * cols + c] !== 0) widthA++;
    if (b[row * cols + c] !== 0) widthB++;
  }
  return widthA > 0 && widthB > 0 ? widthA / widthB : NaN;
}

/**
 * How deep a structure can be eroded before it splits, relative to its thickness: the number of 3×3
 * erosions (the image's outside counting as foreground, as scikit-image's binary_erosion) until it no
 * longer forms a single 8-connected piece, over the largest Euclidean distance from a structure pixel
 * to a non-structure pixel. After each erosion, 4-connected fragments smaller than `minFragment` pixels
 * are dropped (scikit-image's remove_small_objects), so crumbs do not count as a split. A thin neck
 * anywhere in an otherwise thick myocardium gives a small ratio.
 *
 * Measured on the largest 8-connected piece: vital measures the whole mask, which gives 0 for any
 * mask already in pieces, so a disconnected myocardium would fail this criterion as well as the
 * connectivity one; measuring the main piece keeps each defect to its own criterion. NaN when empty.
 */
export function erosionRatioBeforeSplit(mask: Uint8Array, rows: number, cols: number, minFragment: number): number {
  let current = largestComponent(labelComponents(mask, rows, cols, 8));
  if (countOnes(current) === 0) return NaN;
  const thickness = maxDistanceToOutside(current, rows, cols);
  let erosions = 0;
  while (labelComponents(current, rows, cols, 8).count === 1) {
    current = erode(current, rows, cols, { connectivity: 8, outside: 'foreground' });
    current = withoutSmallComponents(labelComponents(current, rows, cols, 4), minFragment);
    erosions++;
  }
  return erosions / thickness;
}

/**
 * Largest distance (unit spacing) from a mask pixel to the nearest non-mask pixel, as
 * scipy's distance_transform_edt: the image's outside does not count as non-mask.
 */
function maxDistanceToOutside(mask: Uint8Array, rows: number, cols: number): number {
  const outside = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) outside[i] = mask[i] === 0 ? 1 : 0;
  const squared = squaredDistanceTransform(outside, rows, cols, [1, 1]);
  let largest = 0;
  for (let i = 0; i < squared.length; i++) if (mask[i] !== 0 && squared[i] > largest) largest = squared[i];
  return sqrt(largest);
}
