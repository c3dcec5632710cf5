import { findLandmarks, type LandmarkFailure, type Point } from './landmarks';

/**
 * Simpson's biplane method of discs (the CAMUS benchmark's clinical indices; vitalab/vital's
 * `heart_us.py` takes the same method): on each apical view, the long axis runs from the middle of
 * the mitral base to the apex (landmarks.ts); it is cut into DISCS slabs of equal height, and each
 * slab's diameter is the width of the LV across the axis at the slab's middle. The two views give the
 * two diameters of elliptical discs:
 *
 *   V = π/4 · Σᵢ aᵢ·bᵢ · L/DISCS,  L = the longer of the two long axes,
 *
 * with aᵢ from 2CH and bᵢ from 4CH (each measured along its own axis). mm³ / 1000 = mL.
 *
 * A diameter is measured by sampling the LV (nearest pixel) along the perpendicular line every
 * quarter of the finer pixel spacing and taking the extent from the first inside sample to the last,
 * plus one step (each end sits on average half a step inside the pixel edge). It is the extent, not
 * the length inside: a papillary muscle or a notch in a prediction does not narrow the disc, as a
 * clinician's calliper would not.
 */

export const DISCS = 20;

export interface ViewDiscs {
  /** Long-axis length (mm), mitral base middle to apex. */
  length: number;
  /** Diameter (mm) of each disc, from the base to the apex. */
  diameters: number[];
  base: [Point, Point];
  apex: Point;
}

export type ViewDiscsResult = { ok: true; discs: ViewDiscs } | ({ ok: false } & LandmarkFailure);

export function viewDiscs(labels: Uint8Array, rows: number, cols: number, spacing: readonly [number, number]): ViewDiscsResult {
  if (labels.length !== rows * cols) throw new Error(`viewDiscs: a ${rows}×${cols} label map needs ${rows * cols} pixels, got ${labels.length}`);
  const found = findLandmarks(labels, rows, cols, spacing);
  if (!found.ok) return found;
  const { baseMiddle, apex, base, lv } = found.landmarks;
  const [sy, sx] = spacing;
  const length = Math.hypot(apex.y - baseMiddle.y, apex.x - baseMiddle.x);
  // Unit vectors along the axis (u) and across it (v).
  const u = { y: (apex.y - baseMiddle.y) / length, x: (apex.x - baseMiddle.x) / length };
  const v = { y: -u.x, x: u.y };
  let reach = 0;
  for (let i = 0; i < lv.length; i++) {
    if (lv[i] === 0) continue;
    const r = (i / cols) | 0;
    const across = Math.abs((r * sy - baseMiddle.y) * v.y + ((i - r * cols) * sx - baseMiddle.x) * v.x);
    if (across > reach) reach = across;
  }
  reach += 2 * Math.max(sy, sx);
  const step = Math.min(sy, sx) / 4;
  const inside = (y: number, x: number): boolean => {
    const r = Math.round(y / sy);
    const c = Math.round(x / sx);
    return r >= 0 && r < rows && c >= 0 && c < cols && lv[r * cols + c] !== 0;
  };
  const diameters: number[] = [];
  for (let k = 0; k < DISCS; k++) {
    const along = ((k + 0.5) / DISCS) * length;
    const cy = baseMiddle.y + along * u.y;
    const cx = baseMiddle.x + along * u.x;
    let first = Infinity;
    let last = -Infinity;
    for (let p = -reach; p <= reach; p += step) {
      if (!inside(cy + p * v.y, cx + p * v.x)) continue;
      if (p < first) first = p;
      last = p;
    }
    diameters.push(last >= first ? last - first + step : 0);
  }
  return { ok: true, discs: { length, diameters, base, apex } };
}

/** Biplane volume (mL) from the 2CH and 4CH discs of one instant. */
export function biplaneVolume(twoChamber: ViewDiscs, fourChamber: ViewDiscs): number {
  const length = Math.max(twoChamber.length, fourChamber.length);
  let sum = 0;
  for (let k = 0; k < DISCS; k++) sum += twoChamber.diameters[k] * fourChamber.diameters[k];
  return ((Math.PI / 4) * sum * (length / DISCS)) / 1000;
}

/** Ejection fraction (%) from the end-diastolic and end-systolic volumes. */
export function ejectionFraction(edv: number, esv: number): number {
  return (100 * (edv - esv)) / edv;
}
