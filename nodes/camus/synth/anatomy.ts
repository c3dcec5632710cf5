import type { Random } from '../../data/random';
import type { View } from '../../data/dataset-artifact';
import type { Vec } from './sector';

/**
 * The shape parameters of one apical view at one instant, all in mm and radians, and how they are
 * drawn per patient. The left ventricle is a bullet: a rounded cap at the apex (top of the image)
 * widening into a near-straight body that narrows slightly towards the mitral annulus (its base).
 * The myocardium is a band around it, open at the base, and the left atrium hangs below the mitral
 * plane. End systole (ES) follows from end diastole (ED) and the ejection fraction.
 */

export interface HeartShape {
  /** Endocardial apex of the LV. */
  apex: Vec;
  /** Angle of the LV long axis from vertical; positive turns the base to the right. */
  tilt: number;
  /** Endocardial length, apex to the mitral plane. */
  length: number;
  /** Largest half-widths of the cavity on the left and right of the axis. */
  halfWidth: [number, number];
  /** Fraction of the length taken by the rounded apical cap. */
  capFraction: number;
  /** How much narrower the annulus is than the widest point (0..1). */
  baseNarrowing: number;
  /** Myocardial thickness of the left and right walls, and at the apex. */
  wall: [number, number];
  apexWall: number;
  /** Left atrium: height below the mitral plane, largest half-widths, sideways drift of its bottom. */
  laHeight: number;
  laHalfWidth: [number, number];
  laDrift: number;
  /** 4CH only: right ventricle width at the tricuspid plane and right atrium size (drawn, not labelled). */
  rvWidth: number;
  raSize: number;
}

export interface ViewAnatomy {
  view: View;
  ed: HeartShape;
  es: HeartShape;
}

/** Draws the ED shape of one view; `depth` is the sector depth the heart must fit in. */
export function drawEndDiastole(random: Random, view: View, depth: number): HeartShape {
  // Adult proportions: the ED cavity takes about 60 % of the image depth and is about half as wide as
  // it is long, which puts the biplane EDVs in the range of an adult cohort such as CAMUS's (about
  // 90–200 mL; with the earlier 50 % and 0.42–0.54 they were 13–76 mL, a child's heart).
  const length = random.clampedNormal(0.63 * depth, 0.04 * depth, 0.55 * depth, 0.7 * depth);
  const width = length * random.uniform(0.52, 0.64);
  const asymmetry = random.uniform(-0.08, 0.08);
  // Walls in proportion to the cavity's width, as they were for the smaller hearts (6.5–9.5 mm on
  // about 31 mm), so the LV/MYO width ratio stays within its anatomical bound at every image size.
  const wall = width * random.uniform(0.2, 0.28);
  const fourChamber = view === '4CH';
  return {
    apex: { x: fourChamber ? random.uniform(0, 9) : random.uniform(-5, 5), y: depth * random.uniform(0.06, 0.1) },
    tilt: (random.clampedNormal(fourChamber ? 3 : 0, 6, -15, 15) * Math.PI) / 180,
    length,
    halfWidth: [(width / 2) * (1 + asymmetry), (width / 2) * (1 - asymmetry)],
    capFraction: random.uniform(0.45, 0.6),
    baseNarrowing: random.uniform(0.12, 0.26),
    // In 4CH the septum (left wall) is a little thicker than the lateral wall.
    wall: fourChamber ? [wall * random.uniform(1, 1.15), wall] : [wall, wall * random.uniform(0.9, 1.1)],
    apexWall: wall * random.uniform(0.6, 0.85),
    laHeight: length * random.uniform(0.28, 0.36),
    laHalfWidth: [(width / 2) * random.uniform(0.8, 1.1), (width / 2) * random.uniform(0.8, 1.1)],
    laDrift: length * random.uniform(-0.08, 0.08),
    rvWidth: fourChamber ? width * random.uniform(0.55, 0.8) : 0,
    raSize: fourChamber ? width * random.uniform(0.65, 0.85) : 0,
  };
}

/**
 * ES from ED and the ejection fraction: with volume ~ length × width², the length shrinks by
 * (1 - EF)^0.2 and the width by (1 - EF)^0.4, so the cavity volume falls by exactly (1 - EF). The apex
 * stays put while the base rises; the wall thickens as the myocardium keeps its area; the atrium fills.
 */
export function endSystole(ed: HeartShape, ejectionFraction: number): HeartShape {
  const remaining = 1 - ejectionFraction;
  const lengthScale = remaining ** 0.2;
  const widthScale = remaining ** 0.4;
  const thickening = 1 + 0.55 * ejectionFraction;
  return {
    ...ed,
    length: ed.length * lengthScale,
    halfWidth: [ed.halfWidth[0] * widthScale, ed.halfWidth[1] * widthScale],
    wall: [ed.wall[0] * thickening, ed.wall[1] * thickening],
    apexWall: ed.apexWall * thickening,
    laHeight: ed.laHeight * (1 + 0.15 * ejectionFraction),
    laHalfWidth: [ed.laHalfWidth[0] * (1 + 0.12 * ejectionFraction), ed.laHalfWidth[1] * (1 + 0.12 * ejectionFraction)],
    rvWidth: ed.rvWidth * (1 - 0.35 * ejectionFraction),
  };
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** The shape at phase t (0 = ED, 1 = ES), every parameter interpolated. */
export function shapeAt(anatomy: ViewAnatomy, t: number): HeartShape {
  if (t <= 0) return anatomy.ed;
  if (t >= 1) return anatomy.es;
  const { ed, es } = anatomy;
  const pair = (a: [number, number], b: [number, number]): [number, number] => [lerp(a[0], b[0], t), lerp(a[1], b[1], t)];
  return {
    apex: { x: lerp(ed.apex.x, es.apex.x, t), y: lerp(ed.apex.y, es.apex.y, t) },
    tilt: lerp(ed.tilt, es.tilt, t),
    length: lerp(ed.length, es.length, t),
    halfWidth: pair(ed.halfWidth, es.halfWidth),
    capFraction: lerp(ed.capFraction, es.capFraction, t),
    baseNarrowing: lerp(ed.baseNarrowing, es.baseNarrowing, t),
    wall: pair(ed.wall, es.wall),
    apexWall: lerp(ed.apexWall, es.apexWall, t),
    laHeight: lerp(ed.laHeight, es.laHeight, t),
    laHalfWidth: pair(ed.laHalfWidth, es.laHalfWidth),
    laDrift: lerp(ed.laDrift, es.laDrift, t),
    rvWidth: lerp(ed.rvWidth, es.rvWidth, t),
    raSize: lerp(ed.raSize, es.raSize, t),
  };
}

/** Scales a shape about its apex (used to make a heart fit its sector). */
export function scaleShape(shape: HeartShape, factor: number): HeartShape {
  const pair = (p: [number, number]): [number, number] => [p[0] * factor, p[1] * factor];
  return {
    ...shape,
    length: shape.length * factor,
    halfWidth: pair(shape.halfWidth),
    wall: pair(shape.wall),
    apexWall: shape.apexWall * factor,
    laHeight: shape.laHeight * factor,
    laHalfWidth: pair(shape.laHalfWidth),
    laDrift: shape.laDrift * factor,
    rvWidth: shape.rvWidth * factor,
    raSize: shape.raSize * factor,
  };
}
