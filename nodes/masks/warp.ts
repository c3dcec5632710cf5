import type { LabelMask } from './label-mask';

/**
 * Every geometric warp of label maps goes through here: inverse mapping (each output pixel centre is
 * mapped back into the source) with nearest-neighbour sampling, so labels are never blended into values
 * that mean nothing. Points are [row, col] in edge coordinates (see label-mask.ts); outside the source
 * reads as background.
 */

/** [row', col'] = M·[row, col] + t with M = [[m[0], m[1]], [m[2], m[3]]]. */
export interface Affine {
  m: [number, number, number, number];
  t: [number, number];
}

export const IDENTITY: Affine = { m: [1, 0, 0, 1], t: [0, 0] };

/** Rotation by `degrees` clockwise on screen (rows grow downwards), about the origin. */
export function rotation(degrees: number): Affine {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return { m: [cos, sin, -sin, cos], t: [0, 0] };
}

export function scaling(rowFactor: number, colFactor = rowFactor): Affine {
  return { m: [rowFactor, 0, 0, colFactor], t: [0, 0] };
}

export function translation(rows: number, cols: number): Affine {
  return { m: [1, 0, 0, 1], t: [rows, cols] };
}

/** `outer ∘ inner`: apply `inner` first. */
export function compose(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d] = outer.m;
  const [e, f, g, h] = inner.m;
  return {
    m: [a * e + b * g, a * f + b * h, c * e + d * g, c * f + d * h],
    t: [a * inner.t[0] + b * inner.t[1] + outer.t[0], c * inner.t[0] + d * inner.t[1] + outer.t[1]],
  };
}

/** Composes left to right in order of application: chain(a, b, c) applies a, then b, then c. */
export function chain(...steps: Affine[]): Affine {
  return steps.reduce((acc, step) => compose(step, acc), IDENTITY);
}

export function invert(affine: Affine): Affine {
  const [a, b, c, d] = affine.m;
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-12) throw new Error('warp: the affine map is singular and cannot be inverted');
  const m: Affine['m'] = [d / det, -b / det, -c / det, a / det];
  return { m, t: [-(m[0] * affine.t[0] + m[1] * affine.t[1]), -(m[2] * affine.t[0] + m[3] * affine.t[1])] };
}

export function applyAffine(affine: Affine, point: [number, number]): [number, number] {
  const [a, b, c, d] = affine.m;
  return [a * point[0] + b * point[1] + affine.t[0], c * point[0] + d * point[1] + affine.t[1]];
}

/** Maps an output point to the source point it reads from, writing [row, col] into `out`. */
export type InverseMap = (row: number, col: number, out: [number, number]) => void;

/** Nearest-neighbour warp through any inverse map (affine or piecewise). */
export function warpNearest(source: LabelMask, height: number, width: number, inverse: InverseMap): LabelMask {
  const data = new Uint8Array(height * width);
  const at: [number, number] = [0, 0];
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      inverse(row + 0.5, col + 0.5, at);
      const r = Math.floor(at[0]);
      const c = Math.floor(at[1]);
      if (r >= 0 && r < source.height && c >= 0 && c < source.width) data[row * width + col] = source.data[r * source.width + c];
    }
  }
  return { height, width, data };
}

/** Warps `source` by the forward map `forward` (source → output) into a height × width output. */
export function warpAffine(source: LabelMask, height: number, width: number, forward: Affine): LabelMask {
  const back = invert(forward);
  const [a, b, c, d] = back.m;
  const [tr, tc] = back.t;
  return warpNearest(source, height, width, (row, col, out) => {
    out[0] = a * row + b * col + tr;
    out[1] = c * row + d * col + tc;
  });
}
