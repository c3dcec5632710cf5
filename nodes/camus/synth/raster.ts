import type { Vec } from './sector';

// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { ceil, floor, max, min } = Math;

/**
 * Scanline polygon filling on a pixel grid whose pixel centres sit at integer coordinates. A pixel is
 * inside when its centre is, with half-open spans (left edge in, right edge out), so two polygons that
 * share an edge tile the plane: no pixel is left out and none is painted by both.
 */
export function fillPolygon(target: Uint8Array, rows: number, cols: number, polygon: readonly Vec[], value: number): void {
  const n = polygon.length;
  let top = Infinity;
  let bottom = -Infinity;
  for (const p of polygon) {
    top = min(top, p.y);
    bottom = max(bottom, p.y);
  }
  const firstRow = max(0, ceil(top));
  const lastRow = min(rows - 1, floor(bottom));
  const crossings: number[] = [];
  for (let r = firstRow; r <= lastRow; r++) {
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = polygon[j];
      const b = polygon[i];
      // Half-open in y as well, so a vertex on the scanline counts once.
      if (a.y <= r !== b.y <= r) crossings.push(a.x + ((r - a.y) * (b.x - a.x)) / (b.y - a.y));
    }
    crossings.sort((p, q) => p - q);
    const row = r * cols;
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = max(0, ceil(crossings[k]));
      const to = min(cols, ceil(crossings[k + 1]));
      if (to > from) target.fill(value, row + from, row + to);
    }
  }
}
