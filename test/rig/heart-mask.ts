/**
 * Draws plausible apical-view label maps (0 background, 1 LV, 2 myocardium, 3 LA) for anatomy tests:
 * an LV "bullet" (elliptic apical cap on a straight-walled base) with the apex at the top, a myocardium
 * band of uniform thickness around it, open at the base, and an LA below the base as a half-ellipse
 * hanging from it. Every size is in pixels; `paint` helpers then add exactly one defect.
 */
export interface HeartShape {
  rows: number;
  cols: number;
  /** Column of the long axis. */
  centerCol: number;
  /** First LV row (the apex). */
  apexRow: number;
  /** First row below the LV (the base; the LA starts here). */
  baseRow: number;
  /** LV half-width along its straight part. */
  lvHalfWidth: number;
  /** Height of the elliptic apical cap of the LV. */
  capHeight: number;
  myoThickness: number;
  /** LA half-width at its top row (where it meets the LV base). */
  laHalfWidth: number;
  laHeight: number;
  /** Leave out the LA and close the myocardium under the LV instead. */
  withoutLa?: boolean;
}

export const DEFAULT_HEART: Readonly<HeartShape> = {
  rows: 128,
  cols: 128,
  centerCol: 64,
  apexRow: 20,
  baseRow: 80,
  lvHalfWidth: 18,
  capHeight: 27,
  myoThickness: 7,
  laHalfWidth: 19,
  laHeight: 28,
};

export function drawHeart(overrides: Partial<HeartShape> = {}): Uint8Array {
  const s = { ...DEFAULT_HEART, ...overrides };
  const mask = new Uint8Array(s.rows * s.cols);
  const capEnd = s.apexRow + s.capHeight;
  const t = s.myoThickness;
  const bullet = (r: number, c: number, halfWidth: number, capHeight: number): boolean => {
    if (r >= s.baseRow || r < capEnd - capHeight) return false;
    const dy = r < capEnd ? (capEnd - r) / capHeight : 0;
    return Math.abs(c - s.centerCol) <= halfWidth * Math.sqrt(Math.max(0, 1 - dy * dy));
  };
  for (let r = 0; r < s.rows; r++) {
    for (let c = 0; c < s.cols; c++) {
      const i = r * s.cols + c;
      if (bullet(r, c, s.lvHalfWidth, s.capHeight)) mask[i] = 1;
      else if (bullet(r, c, s.lvHalfWidth + t, s.capHeight + t)) mask[i] = 2;
      else if (!s.withoutLa && r >= s.baseRow && r < s.baseRow + s.laHeight) {
        const dy = (r - s.baseRow) / s.laHeight;
        if (Math.abs(c - s.centerCol) <= s.laHalfWidth * Math.sqrt(1 - dy * dy)) mask[i] = 3;
      } else if (s.withoutLa && r >= s.baseRow && r < s.baseRow + t && Math.abs(c - s.centerCol) <= s.lvHalfWidth + t) {
        mask[i] = 2;
      }
    }
  }
  return mask;
}

/** Sets rows [r0, r1] × cols [c0, c1] (inclusive) to `label`. */
export function paintRect(mask: Uint8Array, cols: number, r0: number, r1: number, c0: number, c1: number, label: number): Uint8Array {
  for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) mask[r * cols + c] = label;
  return mask;
}

/** Sets background pixels within `radius` of (row, col) to `label`, leaving other structures alone. */
export function paintDiskOnBackground(mask: Uint8Array, rows: number, cols: number, row: number, col: number, radius: number, label: number): Uint8Array {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if ((r - row) ** 2 + (c - col) ** 2 <= radius * radius && mask[r * cols + c] === 0) mask[r * cols + c] = label;
    }
  }
  return mask;
}

/** Replaces every pixel of label `from` by `to`. */
export function relabel(mask: Uint8Array, from: number, to: number): Uint8Array {
  return mask.map((value) => (value === from ? to : value));
}

/** The mask as text, one character per pixel (. LV M A), for failure messages and debugging. */
export function asText(mask: Uint8Array, cols: number): string {
  const glyphs = [' ', '.', 'M', 'A'];
  const lines: string[] = [];
  for (let start = 0; start < mask.length; start += cols) lines.push(Array.from(mask.subarray(start, start + cols), (v) => glyphs[v] ?? '?').join(''));
  return lines.join('\n');
}
