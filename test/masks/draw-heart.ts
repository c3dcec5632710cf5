import { Label, type LabelMask } from '../../nodes/data/label-mask';
import type { RandomSource } from '../../nodes/data/random';

/**
 * Draws apical-view test masks: an LV "bullet" (half ellipse, apex towards `angle`), a myocardial band
 * around it that is open at the base, and an LA ellipse below the base. Lengths are fractions of the
 * image's smaller side so that one pose draws alike at every size.
 */
export interface HeartShape {
  /** Middle of the base (mitral plane), [row, col] as fractions of the image height and width. */
  base: [number, number];
  /** Apex direction, degrees clockwise from up. */
  angle: number;
  lvLength: number;
  lvHalfWidth: number;
  myoThickness: number;
  laLength: number;
  laHalfWidth: number;
}

export const UPRIGHT_HEART: HeartShape = {
  base: [0.62, 0.5],
  angle: 0,
  lvLength: 0.38,
  lvHalfWidth: 0.13,
  myoThickness: 0.05,
  laLength: 0.2,
  laHalfWidth: 0.13,
};

export function drawHeart(height: number, width: number, shape: HeartShape): LabelMask {
  const unit = Math.min(height, width);
  const a = (shape.angle * Math.PI) / 180;
  const apex = [-Math.cos(a), Math.sin(a)];
  const across = [Math.sin(a), Math.cos(a)];
  const [baseRow, baseCol] = [shape.base[0] * height, shape.base[1] * width];
  const lvLength = shape.lvLength * unit;
  const lvHalfWidth = shape.lvHalfWidth * unit;
  const myo = shape.myoThickness * unit;
  const laHalfLength = (shape.laLength * unit) / 2;
  const laHalfWidth = shape.laHalfWidth * unit;
  const data = new Uint8Array(height * width);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const dr = row + 0.5 - baseRow;
      const dc = col + 0.5 - baseCol;
      const u = dr * apex[0] + dc * apex[1];
      const v = dr * across[0] + dc * across[1];
      let label: number = Label.background;
      if (u >= 0) {
        if ((u / lvLength) ** 2 + (v / lvHalfWidth) ** 2 <= 1) label = Label.lv;
        else if ((u / (lvLength + myo)) ** 2 + (v / (lvHalfWidth + myo)) ** 2 <= 1) label = Label.myocardium;
      } else if (((u + laHalfLength) / laHalfLength) ** 2 + (v / laHalfWidth) ** 2 <= 1) {
        label = Label.la;
      }
      data[row * width + col] = label;
    }
  }
  return { height, width, data };
}

/** `shape` with every field moved by up to ± its `spread` (uniform), e.g. { angle: 10 } for ±10°. */
export function varyHeart(shape: HeartShape, spread: Partial<Record<keyof HeartShape, number>>, random: RandomSource): HeartShape {
  const jitter = (key: keyof HeartShape): number => (spread[key] ?? 0) * (2 * random() - 1);
  return {
    base: [shape.base[0] + jitter('base'), shape.base[1] + jitter('base')],
    angle: shape.angle + jitter('angle'),
    lvLength: shape.lvLength + jitter('lvLength'),
    lvHalfWidth: shape.lvHalfWidth + jitter('lvHalfWidth'),
    myoThickness: shape.myoThickness + jitter('myoThickness'),
    laLength: shape.laLength + jitter('laLength'),
    laHalfWidth: shape.laHalfWidth + jitter('laHalfWidth'),
  };
}

/** Dice of one label between two masks of the same size. */
export function labelDice(a: LabelMask, b: LabelMask, label: number): number {
  let both = 0;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const inA = a.data[i] === label ? 1 : 0;
    const inB = b.data[i] === label ? 1 : 0;
    both += inA & inB;
    sum += inA + inB;
  }
  return sum === 0 ? 1 : (2 * both) / sum;
}
