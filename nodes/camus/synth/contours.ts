import type { HeartShape } from './anatomy';
import type { Vec } from './sector';

// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { PI, cos, max, min, sin, sqrt } = Math;

/**
 * Polygons (in mm) of the structures of one apical frame, from its shape parameters. The LV cavity
 * and the epicardium share the mitral plane as their base; the left atrium's top edge lies on that
 * same line and overhangs the cavity by a little, so the cavity is closed by the myocardium on its
 * sides and apex and by the atrium at its base, with no gap and no background in between.
 */

export interface FrameContours {
  /** LV cavity (label 1). */
  endo: Vec[];
  /** Outer border of the myocardium (LV cavity + label 2). */
  epi: Vec[];
  /** Left atrium (label 3). */
  la: Vec[];
  /** Bright pericardial band outside the epicardium, mostly apical and lateral (drawn, not labelled). */
  pericardium: Vec[];
  /** Right ventricle and right atrium, 4CH only (drawn dark, labelled background). */
  rv?: Vec[];
  ra?: Vec[];
  /** Mitral leaflets as segments [annulus, tip] (drawn bright). */
  leaflets: Array<[Vec, Vec]>;
  /** Papillary muscles against the walls inside the cavity (drawn grey, labelled LV as in CAMUS). */
  papillary: Vec[][];
}

/** How far the atrium's top edge reaches past the cavity's base corners, so no corner touches background. */
const LA_OVERHANG_MM = 0.3;
const PERICARDIUM_MM = 2.5;
const SAMPLES = 64;

type Side = 0 | 1;

function smoothstep(s: number): number {
  const c = min(1, max(0, s));
  return c * c * (3 - 2 * c);
}

export class HeartFrame {
  private readonly axis: Vec;
  private readonly normal: Vec;

  constructor(readonly shape: HeartShape) {
    this.axis = { x: sin(shape.tilt), y: cos(shape.tilt) };
    this.normal = { x: cos(shape.tilt), y: -sin(shape.tilt) };
  }

  /** The point `u` mm down the long axis from the endocardial apex and `v` mm to its right. */
  at(u: number, v: number): Vec {
    const { apex } = this.shape;
    return { x: apex.x + u * this.axis.x + v * this.normal.x, y: apex.y + u * this.axis.y + v * this.normal.y };
  }

  /** Cavity half-width on one side at depth u along the axis (0 at the apex, 1 × width at the cap's end). */
  endoHalf(side: Side, u: number): number {
    const { length, capFraction, baseNarrowing } = this.shape;
    const s = min(1, max(0, u / length));
    let profile: number;
    if (s < capFraction) {
      const k = 1 - s / capFraction;
      profile = sqrt(1 - k * k);
    } else {
      const k = (s - capFraction) / (1 - capFraction);
      profile = 1 - baseNarrowing * k * k;
    }
    return this.shape.halfWidth[side] * profile;
  }

  /** Epicardial half-width: the cavity plus the wall along the body, a wider cap around the apex. */
  epiHalf(side: Side, u: number, grow = 0, apexGrow = grow): number {
    const { length, capFraction, wall, apexWall, halfWidth } = this.shape;
    const capEnd = capFraction * length;
    if (u >= capEnd) return this.endoHalf(side, u) + wall[side] + grow;
    const top = apexWall + apexGrow;
    const k = 1 - (u + top) / (capEnd + top);
    return (halfWidth[side] + wall[side] + grow) * sqrt(max(0, 1 - k * k));
  }

  /** A closed outline from the base on the left, over the top at depth `top`, to the base on the right. */
  private bullet(top: number, half: (side: Side, u: number) => number): Vec[] {
    const { length } = this.shape;
    const us = Array.from({ length: SAMPLES + 1 }, (_, k) => top + (length - top) * (k / SAMPLES) ** 2);
    const left = us.map((u) => this.at(u, -half(0, u))).reverse();
    const right = us.slice(1).map((u) => this.at(u, half(1, u)));
    return [...left, ...right];
  }

  endo(): Vec[] {
    return this.bullet(0, (side, u) => this.endoHalf(side, u));
  }

  /** The epicardium, or with `grow` a band outside it: [left, right] side growth and apex growth in mm. */
  epi(grow: [number, number] = [0, 0], apexGrow = 0): Vec[] {
    return this.bullet(-(this.shape.apexWall + apexGrow), (side, u) => this.epiHalf(side, u, grow[side], apexGrow));
  }

  /** Atrium half-width at height h below the mitral plane. */
  private laHalf(side: Side, h: number): number {
    const { laHeight, laHalfWidth, length } = this.shape;
    const top = this.endoHalf(side, length) + LA_OVERHANG_MM;
    const widest = 0.45 * laHeight;
    if (h <= widest) return top + (laHalfWidth[side] - top) * smoothstep(h / widest);
    const k = (h - widest) / (laHeight - widest);
    return laHalfWidth[side] * sqrt(max(0, 1 - k * k));
  }

  la(): Vec[] {
    const { length, laHeight, laDrift } = this.shape;
    // The centre line drifts sideways quadratically, so the top edge stays on the mitral plane.
    const hs = Array.from({ length: SAMPLES }, (_, k) => laHeight * ((k + 1) / SAMPLES) ** 1.5);
    const centre = (h: number) => laDrift * (h / laHeight) ** 2;
    const left = hs.map((h) => this.at(length + h, centre(h) - this.laHalf(0, h)));
    const right = hs.map((h) => this.at(length + h, centre(h) + this.laHalf(1, h))).reverse();
    return [this.at(length, -this.laHalf(0, 0)), ...left, ...right, this.at(length, this.laHalf(1, 0))];
  }

  /** Right ventricle along the septum (the left wall in a 4CH view), tapering to its own apex. */
  rv(): Vec[] {
    const { length, rvWidth } = this.shape;
    const start = 0.22 * length;
    const end = 0.93 * length;
    const us = Array.from({ length: SAMPLES + 1 }, (_, k) => start + (end - start) * (k / SAMPLES));
    const inner = us.map((u) => this.at(u, -(this.epiHalf(0, u) + 0.6)));
    const outer = us.map((u) => this.at(u, -(this.epiHalf(0, u) + 0.6 + rvWidth * sin(((PI / 2) * (u - start)) / (end - start)) ** 0.7))).reverse();
    return [...inner, ...outer];
  }

  /** Right atrium: an ellipse below the tricuspid plane, left of the atrial septum. */
  ra(): Vec[] {
    const { length, raSize, laHalfWidth } = this.shape;
    const semiU = raSize * 0.55;
    const semiV = raSize * 0.5;
    const centreU = 0.93 * length + semiU;
    const centreV = -(max(laHalfWidth[0], this.epiHalf(0, length)) + 3 + semiV);
    return Array.from({ length: 2 * SAMPLES }, (_, k) => {
      const angle = (2 * PI * k) / (2 * SAMPLES);
      return this.at(centreU + semiU * cos(angle), centreV + semiV * sin(angle));
    });
  }

  /** A papillary muscle on one wall: an ellipse in the lower half of the cavity, touching the wall. */
  papillaryMuscle(side: Side): Vec[] {
    const { length } = this.shape;
    const centreU = 0.64 * length;
    const semiU = 0.09 * length;
    const semiV = min(3.2, 0.22 * this.endoHalf(side, centreU));
    const sign = side === 0 ? -1 : 1;
    const centreV = sign * (this.endoHalf(side, centreU) - semiV - 0.3);
    return Array.from({ length: 32 }, (_, k) => {
      const angle = (2 * PI * k) / 32;
      return this.at(centreU + semiU * cos(angle), centreV + semiV * sin(angle));
    });
  }

  /** Mitral leaflets: open along the walls at ED (t = 0), meeting just below the plane at ES (t = 1). */
  leaflets(t: number): Array<[Vec, Vec]> {
    const { length } = this.shape;
    const reach = 0.2 * length;
    return ([0, 1] as const).map((side): [Vec, Vec] => {
      const sign = side === 0 ? -1 : 1;
      const base = this.endoHalf(side, length);
      const open = { u: length - reach, v: sign * base * 0.6 };
      const closed = { u: length + 1.5, v: sign * 0.5 };
      return [this.at(length, sign * base), this.at(open.u + (closed.u - open.u) * t, open.v + (closed.v - open.v) * t)];
    });
  }
}

export function frameContours(shape: HeartShape, phase: number, fourChamber: boolean): FrameContours {
  const frame = new HeartFrame(shape);
  return {
    endo: frame.endo(),
    epi: frame.epi(),
    la: frame.la(),
    // Bright over the apex and the lateral (right) wall, where the beam meets the pericardium head-on.
    pericardium: frame.epi([0.8, PERICARDIUM_MM], PERICARDIUM_MM),
    rv: fourChamber ? frame.rv() : undefined,
    ra: fourChamber ? frame.ra() : undefined,
    leaflets: frame.leaflets(phase),
    // In 4CH the papillary muscles sit on the lateral (right) wall; in 2CH on both walls.
    papillary: fourChamber ? [frame.papillaryMuscle(1)] : [frame.papillaryMuscle(0), frame.papillaryMuscle(1)],
  };
}
