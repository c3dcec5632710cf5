import { Label } from '../../nodes/data/label-mask';

/**
 * A label map whose disc volume is known in closed form: the LV is half an ellipse (semi-axes
 * `length` along the long axis, `halfWidth` across), cut through its centre by the mitral plane, with
 * the LA (half an ellipse of the same width) below it and a myocardial band around the cavity. Its
 * biplane reconstruction from two such views of the same length is half an ellipsoid:
 * V = 2/3 · π · length · halfWidth₂CH · halfWidth₄CH.
 */
export interface HalfEllipseHeart {
  rows: number;
  cols: number;
  spacing: [number, number];
  /** mm: long semi-axis (= the long axis from the base middle to the apex). */
  length: number;
  /** mm: semi-axis across the long axis (half the mitral base). */
  halfWidth: number;
  /** Radians from vertical (apex up); positive turns the apex to the right. */
  tilt: number;
}

export function halfEllipseHeart(heart: HalfEllipseHeart): Uint8Array {
  const { rows, cols, spacing, length, halfWidth, tilt } = heart;
  const labels = new Uint8Array(rows * cols);
  // The base middle sits in the middle of the grid, a little low, so the apex and the LA both fit.
  const origin = { y: rows * spacing[0] * 0.58, x: (cols * spacing[1]) / 2 };
  const u = { y: -Math.cos(tilt), x: Math.sin(tilt) };
  const v = { y: -u.x, x: u.y };
  const wall = 6;
  const apex = { y: origin.y + length * u.y, x: origin.x + length * u.x };
  if (apex.y < 0 || apex.x < 0 || apex.y >= rows * spacing[0] || apex.x >= cols * spacing[1]) {
    throw new Error(`halfEllipseHeart: the apex (${apex.y.toFixed(1)}, ${apex.x.toFixed(1)}) mm is outside the ${rows}×${cols} grid; make the grid larger`);
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const dy = r * spacing[0] - origin.y;
      const dx = c * spacing[1] - origin.x;
      const s = dy * u.y + dx * u.x;
      const t = dy * v.y + dx * v.x;
      const i = r * cols + c;
      if (s >= 0) {
        if ((s / length) ** 2 + (t / halfWidth) ** 2 <= 1) labels[i] = Label.lv;
        else if ((s / (length + wall)) ** 2 + (t / (halfWidth + wall)) ** 2 <= 1) labels[i] = Label.myocardium;
      } else if ((s / (0.5 * length)) ** 2 + (t / halfWidth) ** 2 <= 1) {
        labels[i] = Label.la;
      }
    }
  }
  return labels;
}

/** The closed-form volume (mL) of the two views' biplane reconstruction (same length). */
export function halfEllipsoidVolume(length: number, halfWidth2ch: number, halfWidth4ch: number): number {
  return ((2 / 3) * Math.PI * length * halfWidth2ch * halfWidth4ch) / 1000;
}
