/**
 * The imaging sector of an apical view and its pixel grid. Coordinates are in mm with the probe (the
 * sector's apex) at the origin: x lateral (positive to the right of the image), y depth (down).
 * The grid has CAMUS's anisotropic native spacing: 0.154 mm per row, 0.308 mm per column.
 */

// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { abs, atan2, ceil, hypot, round, sin } = Math;

export const ROW_SPACING_MM = 0.154;
export const COL_SPACING_MM = 0.308;

export interface Vec {
  x: number;
  y: number;
}

export interface Sector {
  /** Radius of the fan in mm (the image depth). */
  depth: number;
  /** Half of the fan's opening angle, in radians. */
  halfAngle: number;
  rows: number;
  cols: number;
  /** Column of the probe (the fan's apex), at row 0. */
  apexCol: number;
}

export function makeSector(depth: number, halfAngle: number): Sector {
  const halfCols = ceil((depth * sin(halfAngle)) / COL_SPACING_MM);
  return { depth, halfAngle, rows: round(depth / ROW_SPACING_MM), cols: 2 * halfCols + 1, apexCol: halfCols };
}

/** Pixel coordinates (fractional column, row) of a point in mm. */
export function toPixel(sector: Sector, point: Vec): Vec {
  return { x: point.x / COL_SPACING_MM + sector.apexCol, y: point.y / ROW_SPACING_MM };
}

/** True when the point lies inside the fan with at least `margin` mm to spare. */
export function insideSector(sector: Sector, point: Vec, margin = 0): boolean {
  const radius = hypot(point.x, point.y);
  if (point.y <= 0 || radius > sector.depth - margin) return false;
  const angle = atan2(abs(point.x), point.y);
  return radius * sin(sector.halfAngle - angle) >= margin;
}
