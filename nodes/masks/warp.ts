import type { LabelMask } from '../data/label-mask';

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

/**
 * An inverse map (output point → the source point it reads) made of two affine pieces on either side of
 * a line, e.g. a ventricle and an atrium stretched by different factors. Being affine piecewise keeps the
 * inner loop free of calls.
 */
export interface SplitInverse {
  /** Output points with a·row + b·col + c ≤ 0 read through `first`, the others through `second`. */
  split: [number, number, number];
  first: Affine;
  second: Affine;
}

/** Nearest-neighbour warp through an inverse map (affine, or affine on each side of a line). */
export function warpNearest(source: LabelMask, height: number, width: number, inverse: Affine | SplitInverse): LabelMask {
  const pieces: SplitInverse = 'split' in inverse ? inverse : { split: [0, 0, -1], first: inverse, second: inverse };
  const [sa, sb, sc] = pieces.split;
  const [a1, b1, c1, d1] = pieces.first.m;
  const [r1, k1] = pieces.first.t;
  const [a2, b2, c2, d2] = pieces.second.m;
  const [r2, k2] = pieces.second.t;
  const data = new Uint8Array(height * width);
  for (let row = 0; row < height; row++) {
    const y = row + 0.5;
    for (let col = 0; col < width; col++) {
      const x = col + 0.5;
      const first = sa * y + sb * x + sc <= 0;
      const r = Math.floor(first ? a1 * y + b1 * x + r1 : a2 * y + b2 * x + r2);
      const c = Math.floor(first ? c1 * y + d1 * x + k1 : c2 * y + d2 * x + k2);
      if (r >= 0 && r < source.height && c >= 0 && c < source.width) data[row * width + col] = source.data[r * source.width + c];
    }
  }
  return { height, width, data };
}

/** Warps `source` by the forward map `forward` (source → output) into a height × width output. */
export function warpAffine(source: LabelMask, height: number, width: number, forward: Affine): LabelMask {
  return warpNearest(source, height, width, invert(forward));
}
