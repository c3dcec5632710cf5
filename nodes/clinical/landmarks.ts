import { labelComponents, largestComponent } from '../anatomy/components';
import { Label } from '../data/label-mask';

/**
 * The landmarks Simpson's method of discs needs on one apical view: the mitral base (two points) and
 * the LV apex, found on a label map (0 background, 1 LV, 2 myocardium, 3 LA) in mm.
 *
 * Definitions (every point is a pixel centre, (row·spacing_row, col·spacing_col) mm):
 * - LV: the largest 4-connected component of label 1 (stray LV blobs of a prediction would otherwise
 *   pull the apex away from the heart).
 * - Mitral base: the LV pixels with a 4-neighbour labelled LA are the LV side of the mitral plane; the
 *   two of them farthest apart are its ends, where the LV, the LA and the base of the myocardium meet.
 *   Their midpoint is the middle of the mitral base.
 * - Apex: the LV pixel farthest from that midpoint.
 * A view whose LV does not touch its LA has no mitral plane to measure from, and one whose apex is the
 * base's middle (an LV of a pixel or two) has no long axis; both are failures, not guesses.
 */

export interface Point {
  /** mm down the rows. */
  y: number;
  /** mm along the columns. */
  x: number;
}

export interface Landmarks {
  /** The two ends of the mitral base. */
  base: [Point, Point];
  /** Middle of the mitral base. */
  baseMiddle: Point;
  apex: Point;
  /** The LV component the landmarks were found on (1 inside), row-major. */
  lv: Uint8Array;
}

export type LandmarkFailure = { reason: 'no-lv' } | { reason: 'no-mitral-base' } | { reason: 'no-long-axis' };

export type LandmarkResult = { ok: true; landmarks: Landmarks } | ({ ok: false } & LandmarkFailure);

/** Convex hull (Andrew's monotone chain) of points given as [y, x] pairs; the farthest pair lies on it. */
function convexHull(points: Point[]): Point[] {
  if (points.length <= 2) return points;
  const sorted = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const cross = (o: Point, a: Point, b: Point): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (input: Point[]): Point[] => {
    const out: Point[] = [];
    for (const p of input) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(sorted), ...half([...sorted].reverse())];
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.y - b.y, a.x - b.x);
}

/** The two points farthest apart (a single point pairs with itself). */
export function farthestPair(points: Point[]): [Point, Point] {
  const hull = convexHull(points);
  let best: [Point, Point] = [hull[0], hull[0]];
  let bestDistance = -1;
  for (let i = 0; i < hull.length; i++) {
    for (let j = i + 1; j < hull.length; j++) {
      const d = distance(hull[i], hull[j]);
      if (d > bestDistance) {
        bestDistance = d;
        best = [hull[i], hull[j]];
      }
    }
  }
  return best;
}

export function findLandmarks(labels: Uint8Array, rows: number, cols: number, spacing: readonly [number, number]): LandmarkResult {
  const lvMask = new Uint8Array(labels.length);
  let any = false;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === Label.lv) {
      lvMask[i] = 1;
      any = true;
    }
  }
  if (!any) return { ok: false, reason: 'no-lv' };
  const lv = largestComponent(labelComponents(lvMask, rows, cols, 4));
  const [sy, sx] = spacing;
  const baseline: Point[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (lv[i] === 0) continue;
      const touchesLa =
        (r > 0 && labels[i - cols] === Label.la) ||
        (r < rows - 1 && labels[i + cols] === Label.la) ||
        (c > 0 && labels[i - 1] === Label.la) ||
        (c < cols - 1 && labels[i + 1] === Label.la);
      if (touchesLa) baseline.push({ y: r * sy, x: c * sx });
    }
  }
  if (baseline.length === 0) return { ok: false, reason: 'no-mitral-base' };
  const base = farthestPair(baseline);
  const baseMiddle = { y: (base[0].y + base[1].y) / 2, x: (base[0].x + base[1].x) / 2 };
  let apex = baseMiddle;
  let farthest = -1;
  for (let i = 0; i < lv.length; i++) {
    if (lv[i] === 0) continue;
    const r = (i / cols) | 0;
    const p = { y: r * sy, x: (i - r * cols) * sx };
    const d = distance(p, baseMiddle);
    if (d > farthest) {
      farthest = d;
      apex = p;
    }
  }
  if (farthest <= 0) return { ok: false, reason: 'no-long-axis' };
  return { ok: true, landmarks: { base, baseMiddle, apex, lv } };
}
