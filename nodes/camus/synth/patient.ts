import type { Phase, View } from '../../data/dataset-artifact';
import { deriveSeed, Random } from '../../data/random';
import { IMAGE_QUALITIES, type ImageQuality } from '../cfg';
import { drawEndDiastole, endSystole, type HeartShape, scaleShape, type ViewAnatomy } from './anatomy';
import { frameContours } from './contours';
import { drawLook, type Look } from './look';
import { insideSector, makeSector, type Sector } from './sector';

/**
 * One synthetic patient: what the CAMUS Info files say about them (sex, age, EF, frames, quality per
 * view) and, per view, the sector and the ED/ES anatomy. Patient k depends only on (seed, k), so a
 * cohort of 10 is the first 10 patients of a cohort of 500 with the same seed.
 */

export const VIEWS: readonly View[] = ['2CH', '4CH'];
export const PHASES: readonly Phase[] = ['ED', 'ES'];

export interface SyntheticView {
  view: View;
  quality: ImageQuality;
  sector: Sector;
  anatomy: ViewAnatomy;
  look: Look;
  /** Seed of the view's random fields (speckle, texture, clutter). */
  seed: number;
}

export interface SyntheticPatient {
  /** `patient0001`. */
  id: string;
  sex: 'M' | 'F';
  age: number;
  /** Ejection fraction as a fraction (0.2..0.75). */
  ejectionFraction: number;
  /** Frames in the ED→ES half sequence; ED is frame 1 and ES frame nbFrame. */
  nbFrame: number;
  frameRate: number;
  views: Record<View, SyntheticView>;
}

export function patientId(index: number): string {
  return `patient${String(index).padStart(4, '0')}`;
}

const SECTOR_MARGIN_MM = 3;
const TOP_MARGIN_MM = 5;

/**
 * Makes both instants fit inside the fan with a margin: first by moving the heart away from the probe
 * (a sonographer would tilt the probe the same way), then, if the atrium reaches the bottom, by
 * shrinking it about its apex.
 */
function fitToSector(sector: Sector, view: View, ed: HeartShape, ef: number): { ed: HeartShape; es: HeartShape } {
  let shape = ed;
  for (let attempt = 0; attempt < 60; attempt++) {
    const es = endSystole(shape, ef);
    const outline = [shape, es].flatMap((s, k) => {
      const contours = frameContours(s, k, view === '4CH');
      return [...contours.pericardium, ...contours.la];
    });
    if (outline.every((p) => insideSector(sector, p, SECTOR_MARGIN_MM) && p.y >= TOP_MARGIN_MM)) return { ed: shape, es };
    const bottom = Math.max(...outline.map((p) => Math.hypot(p.x, p.y)));
    if (bottom + 2 < sector.depth - SECTOR_MARGIN_MM) {
      shape = { ...shape, apex: { x: shape.apex.x * 0.9, y: shape.apex.y + 2 } };
    } else {
      shape = scaleShape(shape, 0.97);
    }
  }
  throw new Error(`synthetic ${view} heart does not fit its ${sector.depth.toFixed(0)} mm sector`);
}

function drawQualities(random: Random): Record<View, ImageQuality> {
  const patientQuality = random.weighted(IMAGE_QUALITIES, [0.35, 0.45, 0.2]);
  const index = IMAGE_QUALITIES.indexOf(patientQuality);
  const perView = (): ImageQuality => {
    if (random.next() < 0.7) return patientQuality;
    const neighbour = index + (random.next() < 0.5 ? -1 : 1);
    return IMAGE_QUALITIES[Math.min(2, Math.max(0, neighbour))];
  };
  return { '2CH': perView(), '4CH': perView() };
}

export function drawPatient(seed: number, index: number): SyntheticPatient {
  const random = new Random(deriveSeed(seed, patientId(index)));
  const info = random.fork('info');
  const ejectionFraction = info.clampedNormal(52, 12, 20, 75) / 100;
  const nbFrame = 10 + info.int(13);
  const qualities = drawQualities(info.fork('quality'));
  const depth = random.uniform(115, 165);
  const halfAngle = (random.uniform(37, 45) * Math.PI) / 180;
  const views = {} as Record<View, SyntheticView>;
  for (const view of VIEWS) {
    const viewRandom = random.fork(view);
    const sector = makeSector(depth * viewRandom.uniform(0.95, 1.05), halfAngle);
    const { ed, es } = fitToSector(sector, view, drawEndDiastole(viewRandom.fork('anatomy'), view, sector.depth), ejectionFraction);
    views[view] = {
      view,
      quality: qualities[view],
      sector,
      anatomy: { view, ed, es },
      look: drawLook(viewRandom.fork('look'), qualities[view]),
      seed: deriveSeed(seed, `${patientId(index)}/${view}/fields`),
    };
  }
  return {
    id: patientId(index),
    sex: info.next() < 0.66 ? 'M' : 'F',
    age: Math.round(info.clampedNormal(65, 14, 20, 95)),
    ejectionFraction,
    nbFrame,
    frameRate: Math.round(info.uniform(25, 70)),
    views,
  };
}

/** Phase in [0, 1] of 0-based sequence frame k: a smooth systolic contraction from ED to ES. */
export function framePhase(k: number, nbFrame: number): number {
  if (nbFrame <= 1) return 0;
  return 0.5 - 0.5 * Math.cos((Math.PI * k) / (nbFrame - 1));
}
