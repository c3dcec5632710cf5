import type { Random } from '../../data/random';
import { resizeBilinear } from '../../data/resample';
import { Label } from '../../data/label-mask';
import type { Look } from './look';
import { COL_SPACING_MM, ROW_SPACING_MM, type Sector, type Vec } from './sector';

// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { LN10, LN2, PI, abs, atan2, ceil, cos, exp, floor, hypot, log2, max, min, round, sqrt, tan } = Math;

/**
 * B-mode rendering of a scene (a class per native pixel) inside the imaging fan.
 *
 * Echo amplitude = echogenicity (per tissue class, slowly textured, blurred to the system's resolution,
 * with lateral-wall dropout and bright valve leaflets) × depth attenuation, plus near-field clutter
 * and a noise floor, all multiplied by fully developed speckle (see below). The amplitude is
 * log-compressed to the displayed dynamic range.
 *
 * Everything random is drawn once per view (`ViewRenderer`), so the ED, ES and sequence frames of a
 * view share their speckle and texture, as frames from a still probe do, and differ only in anatomy.
 */

/**
 * Scene classes: 1–3 are the CAMUS labels; papillary muscles lie inside the cavity (labelled LV, as in
 * CAMUS); the others are drawn but labelled background.
 */
export const SCENE = { tissue: 0, lv: Label.lv, myocardium: Label.myocardium, la: Label.la, otherBlood: 4, pericardium: 5, papillary: 6 } as const;
/** The CAMUS label of each scene class. */
export const SCENE_LABEL: readonly number[] = [Label.background, Label.lv, Label.myocardium, Label.la, Label.background, Label.background, Label.lv];

/** Native pixels per echogenicity-map cell along each axis. */
const COARSE = 3;
/**
 * Speckle: a complex Gaussian field on a (range, angle) grid, smoothed over the system's point-spread
 * function, whose log-magnitude is interpolated to pixels, as a scanner's scan conversion interpolates
 * log-compressed samples. Grid steps: range in mm and lateral in tan(angle), so grains widen with depth.
 */
const SPECKLE_RANGE_MM = 0.38;
const SPECKLE_LATERAL = 0.011;
const SPECKLE_SMOOTHING = 1;
const LUT_STEP_MM = 0.1;
/** Near-field reverberation bands, period in mm. */
const REVERB_PERIOD_MM = 7;
const DB_PER_NEPER = 20 / LN10;

/** Smooth Gaussian random field of the given size, correlated over about `cell` pixels. */
export function smoothField(random: Random, rows: number, cols: number, cell: number): Float32Array {
  const coarseRows = max(2, ceil(rows / cell) + 1);
  const coarseCols = max(2, ceil(cols / cell) + 1);
  const coarse = random.fillNormal(new Float32Array(coarseRows * coarseCols));
  return resizeBilinear(coarse, coarseRows, coarseCols, rows, cols);
}

function blur121(map: Float32Array, rows: number, cols: number, passes: number): void {
  const tmp = new Float32Array(map.length);
  for (let pass = 0; pass < passes; pass++) {
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let c = 0; c < cols; c++) {
        const left = map[row + max(0, c - 1)];
        const right = map[row + min(cols - 1, c + 1)];
        tmp[row + c] = 0.25 * left + 0.5 * map[row + c] + 0.25 * right;
      }
    }
    for (let r = 0; r < rows; r++) {
      const up = max(0, r - 1) * cols;
      const down = min(rows - 1, r + 1) * cols;
      const row = r * cols;
      for (let c = 0; c < cols; c++) map[row + c] = 0.25 * tmp[up + c] + 0.5 * tmp[row + c] + 0.25 * tmp[down + c];
    }
  }
}

/** log2 of the speckle intensity |z|² (mean 1) at each grid node, z complex Gaussian smoothed by the PSF. */
function speckleLog2(random: Random, ranges: number, laterals: number): Float32Array {
  // Uniform white noise: after the PSF smoothing below each node sums nine draws, close to Gaussian.
  const re = random.fillUniformNoise(new Float32Array(ranges * laterals));
  const im = random.fillUniformNoise(new Float32Array(ranges * laterals));
  blur121(re, ranges, laterals, SPECKLE_SMOOTHING);
  blur121(im, ranges, laterals, SPECKLE_SMOOTHING);
  let energy = 0;
  for (let k = 0; k < re.length; k++) energy += re[k] * re[k] + im[k] * im[k];
  const norm = re.length / energy;
  const out = new Float32Array(re.length);
  for (let k = 0; k < re.length; k++) out[k] = log2((re[k] * re[k] + im[k] * im[k]) * norm + 1e-6);
  return out;
}

export class ViewRenderer {
  private readonly coarseRows: number;
  private readonly coarseCols: number;
  private readonly texture: Float32Array;
  private readonly speckle: Float32Array;
  private readonly speckleLaterals: number;
  private readonly clutterNoise: Float32Array;
  /** Centre and half-width (radians from the axis) of the lateral-wall dropout band. */
  private readonly dropoutCentre: number;
  private readonly dropoutHalfWidth: number;

  constructor(
    readonly sector: Sector,
    readonly look: Look,
    random: Random,
  ) {
    this.coarseRows = ceil(sector.rows / COARSE);
    this.coarseCols = ceil(sector.cols / COARSE);
    const textureField = smoothField(random.fork('texture'), this.coarseRows, this.coarseCols, 7);
    const spread = look.textureSpread;
    this.texture = textureField.map((z) => exp(spread * z - (spread * spread) / 2));
    const ranges = ceil(sector.depth / SPECKLE_RANGE_MM) + 2;
    this.speckleLaterals = ceil((2 * tan(sector.halfAngle)) / SPECKLE_LATERAL) + 2;
    this.speckle = speckleLog2(random.fork('speckle'), ranges, this.speckleLaterals);
    const clutter = smoothField(random.fork('clutter'), ranges, this.speckleLaterals, 12);
    this.clutterNoise = clutter.map((z) => exp(0.6 * z - 0.18));
    const dropout = random.fork('dropout');
    this.dropoutCentre = dropout.uniform(0.12, 0.4);
    this.dropoutHalfWidth = dropout.uniform(0.06, 0.14);
  }

  /** Echogenicity per coarse cell: class amplitude × texture, dropout, leaflets, then blur. */
  private echoMap(scene: Uint8Array, leaflets: ReadonlyArray<[Vec, Vec]>): Float32Array {
    const { sector, look, coarseRows, coarseCols, texture } = this;
    const amplitude = [look.tissue, look.blood, look.myocardium, look.blood, look.blood, look.pericardium, 0.7 * look.myocardium];
    const map = new Float32Array(coarseRows * coarseCols);
    const offset = (COARSE - 1) / 2;
    for (let i = 0; i < coarseRows; i++) {
      const r = min(sector.rows - 1, round(i * COARSE + offset));
      const y = r * ROW_SPACING_MM;
      for (let j = 0; j < coarseCols; j++) {
        const c = min(sector.cols - 1, round(j * COARSE + offset));
        const cls = scene[r * sector.cols + c];
        let echo = amplitude[cls];
        // Blood is not textured: its brightness is the noise floor and clutter.
        if (cls !== SCENE.lv && cls !== SCENE.la && cls !== SCENE.otherBlood) echo *= texture[i * coarseCols + j];
        if (look.dropout < 1 && y > 0) {
          const angle = atan2((c - sector.apexCol) * COL_SPACING_MM, y);
          const d = abs(angle - this.dropoutCentre) / this.dropoutHalfWidth;
          if (d < 1) echo *= 1 - (1 - look.dropout) * (1 - d * d);
        }
        map[i * coarseCols + j] = echo;
      }
    }
    for (const [from, to] of leaflets) this.drawSegment(map, from, to, look.leaflet);
    blur121(map, coarseRows, coarseCols, look.blurPasses);
    return map;
  }

  private drawSegment(map: Float32Array, from: Vec, to: Vec, value: number): void {
    const { sector, coarseRows, coarseCols } = this;
    const cell = (p: Vec) => ({
      x: (p.x / COL_SPACING_MM + sector.apexCol - (COARSE - 1) / 2) / COARSE,
      y: (p.y / ROW_SPACING_MM - (COARSE - 1) / 2) / COARSE,
    });
    const a = cell(from);
    const b = cell(to);
    const steps = ceil(hypot(b.x - a.x, b.y - a.y) * 2) + 1;
    for (let k = 0; k <= steps; k++) {
      const x = round(a.x + ((b.x - a.x) * k) / steps);
      const y = round(a.y + ((b.y - a.y) * k) / steps);
      for (let dy = -1; dy <= 1; dy++) {
        const row = y + dy;
        if (row < 0 || row >= coarseRows || x < 0 || x >= coarseCols) continue;
        const index = row * coarseCols + x;
        map[index] = max(map[index], dy === 0 ? value : value * 0.6);
      }
    }
  }

  /** The B-mode image (uint8, 0 outside the fan) of a scene. */
  render(scene: Uint8Array, leaflets: ReadonlyArray<[Vec, Vec]>): Uint8Array {
    const { sector, look, coarseRows, coarseCols, speckle, speckleLaterals, clutterNoise } = this;
    const echo = this.echoMap(scene, leaflets);
    const { rows, cols, apexCol, depth } = sector;
    const tanHalf = tan(sector.halfAngle);
    const lutSize = ceil(depth / LUT_STEP_MM) + 2;
    const attenuation = new Float32Array(lutSize);
    const clutter = new Float32Array(lutSize);
    for (let k = 0; k < lutSize; k++) {
      const rho = k * LUT_STEP_MM;
      attenuation[k] = exp(-look.attenuation * rho);
      clutter[k] = look.clutter * exp(-rho / look.clutterDepth) * (1 + 0.5 * cos((2 * PI * rho) / REVERB_PERIOD_MM));
    }
    // Horizontal taps into the echogenicity map are the same on every row.
    const offset = (COARSE - 1) / 2;
    const echoCol = new Int32Array(cols);
    const echoWeight = new Float32Array(cols);
    const lateralMm = new Float32Array(cols);
    for (let c = 0; c < cols; c++) {
      const ec = min(coarseCols - 1.001, max(0, (c - offset) / COARSE));
      echoCol[c] = floor(ec);
      echoWeight[c] = ec - echoCol[c];
      lateralMm[c] = (c - apexCol) * COL_SPACING_MM;
    }
    const echoRow = new Float32Array(coarseCols);
    // Display value = gain · (1 + dB / dynamicRange), computed from log2 of the squared amplitude.
    const perLog2OfSquare = (DB_PER_NEPER * LN2) / 2 / look.dynamicRange;
    const gain = look.gain;
    const noiseFloor = look.noiseFloor;
    const out = new Uint8Array(rows * cols);
    for (let r = 1; r < rows; r++) {
      const y = r * ROW_SPACING_MM;
      const inverseY = 1 / y;
      const er = min(coarseRows - 1.001, max(0, (r - offset) / COARSE));
      const er0 = floor(er);
      const ewy = er - er0;
      const eRow0 = er0 * coarseCols;
      for (let j = 0; j < coarseCols; j++) echoRow[j] = echo[eRow0 + j] + (echo[eRow0 + coarseCols + j] - echo[eRow0 + j]) * ewy;
      const halfWidthCols = (y * tanHalf) / COL_SPACING_MM;
      const cFrom = max(0, ceil(apexCol - halfWidthCols));
      const cTo = min(cols - 1, floor(apexCol + halfWidthCols));
      const rowOut = r * cols;
      for (let c = cFrom; c <= cTo; c++) {
        const x = lateralMm[c];
        const rho = sqrt(x * x + y * y);
        if (rho >= depth) continue;
        const ec0 = echoCol[c];
        const tissue = echoRow[ec0] + (echoRow[ec0 + 1] - echoRow[ec0]) * echoWeight[c];
        const sr = rho * (1 / SPECKLE_RANGE_MM);
        const sl = (x * inverseY + tanHalf) * (1 / SPECKLE_LATERAL);
        const sr0 = sr | 0;
        const sl0 = sl | 0;
        const wr = sr - sr0;
        const wl = sl - sl0;
        const k00 = sr0 * speckleLaterals + sl0;
        const k10 = k00 + speckleLaterals;
        const w00 = (1 - wr) * (1 - wl);
        const w01 = (1 - wr) * wl;
        const w10 = wr * (1 - wl);
        const w11 = wr * wl;
        const speckleLog = speckle[k00] * w00 + speckle[k00 + 1] * w01 + speckle[k10] * w10 + speckle[k10 + 1] * w11;
        const lut = (rho * (1 / LUT_STEP_MM) + 0.5) | 0;
        let haze = clutter[lut];
        if (haze > 0.002) haze *= clutterNoise[k00];
        const mean = tissue * attenuation[lut] + haze + noiseFloor;
        const value = gain * (1 + perLog2OfSquare * (fastLog2(mean * mean + 1e-18) + speckleLog));
        out[rowOut + c] = value <= 0 ? 0 : value >= 1 ? 255 : (255 * value + 0.5) | 0;
      }
    }
    return out;
  }
}

const FLOAT = new Float32Array(1);
const BITS = new Int32Array(FLOAT.buffer);

/** log2 to within 0.005 (0.03 dB), from the float's exponent and a quadratic in its mantissa. */
function fastLog2(value: number): number {
  FLOAT[0] = value;
  const bits = BITS[0];
  const mantissa = (bits & 0x7fffff) / 0x800000;
  return ((bits >> 23) & 0xff) - 127 + mantissa * (1.3466 - 0.3466 * mantissa);
}
