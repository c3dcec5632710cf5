import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../engine/compute/backend';
import { labelsAt, resampleLabels, type Size } from '../../nodes/evaluate/resample';
import { binaryMetrics, type StructureMetrics } from '../../nodes/metrics/segmentation-metrics';

/**
 * What "native resolution" can mean when a dataset keeps only the stored-size ground truth (an
 * accuracy study, not a timing). CAMUS-like geometry: an 843×630 acquisition at 0.154 × 0.308 mm,
 * stored at S×S. Random LV-sized ellipses are the native ground truth; a perturbed ellipse (moved up
 * to 2 mm, stretched up to 6 %) is the native prediction. The dataset holds the ground truth
 * nearest-downsampled (as load-camus stores it) and a model's output is the soft stored-size map
 * (each stored pixel's covered area). Each protocol's Dice / HD / ASSD is compared with the native
 * truth (the two native ellipses):
 *
 * - A, evaluate `native`: probabilities resized bilinearly, ground truth resampled the same way;
 * - B, nearest: stored arg-max and stored ground truth both enlarged with nearest neighbour;
 * - C, evaluate `model`: stored arg-max against stored ground truth with the stored spacing;
 * - D: A's prediction against the true native ground truth (what A would give if datasets kept it).
 *
 * Run: npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/evaluate-resolution.js [S ...]
 */

const NATIVE: Size = [843, 630];
const NATIVE_SPACING: [number, number] = [0.154, 0.308];
const CASES = 20;

type Shape = (y: number, x: number) => boolean;

function ellipse(cy: number, cx: number, ry: number, rx: number): Shape {
  return (y, x) => ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 <= 1;
}

/** The shape sampled at pixel centres of a [rows, cols] grid of the given spacing (mm). */
function raster(
  shape: Shape,
  [rows, cols]: Size,
  [sy, sx]: [number, number],
  offset: [number, number] = [0.5, 0.5],
  out = new Uint8Array(rows * cols),
): Uint8Array {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = shape((r + offset[0]) * sy, (c + offset[1]) * sx) ? 1 : 0;
  return out;
}

/** Nearest-neighbour resize with pixel centres aligned (load-camus's resizeNearest). */
function nearest(labels: Uint8Array, [rows, cols]: Size, [outRows, outCols]: Size): Uint8Array {
  const out = new Uint8Array(outRows * outCols);
  for (let r = 0; r < outRows; r++) {
    const sr = Math.min(rows - 1, Math.floor(((r + 0.5) * rows) / outRows));
    for (let c = 0; c < outCols; c++) out[r * outCols + c] = labels[sr * cols + Math.min(cols - 1, Math.floor(((c + 0.5) * cols) / outCols))];
  }
  return out;
}

/** Covered area of each stored pixel, from 6×6 samples: an ideal soft prediction. */
function coveredArea(shape: Shape, size: number, spacing: [number, number]): Float32Array {
  const k = 6;
  const out = new Float32Array(size * size);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const samples = raster(shape, [size, size], spacing, [(a + 0.5) / k, (b + 0.5) / k]);
      for (let i = 0; i < out.length; i++) out[i] += samples[i] / (k * k);
    }
  }
  return out;
}

type Protocol = 'A native (evaluate)' | 'B nearest' | 'C stored (evaluate model)' | 'D A vs true native GT';

function study(size: number): void {
  const spacing: [number, number] = [(NATIVE[0] * NATIVE_SPACING[0]) / size, (NATIVE[1] * NATIVE_SPACING[1]) / size];
  let seed = 1;
  const random = (): number => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const errors = new Map<Protocol, { dice: number[]; hd: number[]; assd: number[] }>();
  const truths: StructureMetrics[] = [];
  for (let n = 0; n < CASES; n++) {
    const [cy, cx, ry, rx] = [60 + 10 * random(), 95 + 10 * random(), 30 + 12 * random(), 14 + 8 * random()];
    const stretch = 1 + (random() - 0.5) * 0.12;
    const truthGt = raster(ellipse(cy, cx, ry, rx), NATIVE, NATIVE_SPACING);
    const predShape = ellipse(cy + (random() - 0.5) * 4, cx + (random() - 0.5) * 4, ry * stretch, rx * (2 - stretch));
    const truth = binaryMetrics(raster(predShape, NATIVE, NATIVE_SPACING), truthGt, NATIVE[0], NATIVE[1], NATIVE_SPACING);
    truths.push(truth);
    const storedGt = nearest(truthGt, NATIVE, [size, size]);
    const area = coveredArea(predShape, size, spacing);
    const soft = tf.tensor3d(
      Float32Array.from({ length: 2 * area.length }, (_, i) => (i % 2 === 0 ? 1 - area[i >> 1] : area[i >> 1])),
      [size, size, 2],
    );
    const predNative = labelsAt(soft, NATIVE);
    const predStored = labelsAt(soft, [size, size]);
    soft.dispose();
    const results: Record<Protocol, StructureMetrics> = {
      'A native (evaluate)': binaryMetrics(predNative, resampleLabels(storedGt, [size, size], NATIVE, 2), NATIVE[0], NATIVE[1], NATIVE_SPACING),
      'B nearest': binaryMetrics(nearest(predStored, [size, size], NATIVE), nearest(storedGt, [size, size], NATIVE), NATIVE[0], NATIVE[1], NATIVE_SPACING),
      'C stored (evaluate model)': binaryMetrics(predStored, storedGt, size, size, spacing),
      'D A vs true native GT': binaryMetrics(predNative, truthGt, NATIVE[0], NATIVE[1], NATIVE_SPACING),
    };
    for (const [protocol, metrics] of Object.entries(results) as [Protocol, StructureMetrics][]) {
      const e = errors.get(protocol) ?? { dice: [], hd: [], assd: [] };
      e.dice.push(metrics.dice - truth.dice);
      e.hd.push(metrics.hd - truth.hd);
      e.assd.push(metrics.assd - truth.assd);
      errors.set(protocol, e);
    }
  }
  const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
  const meanAbs = (values: number[]): number => mean(values.map(Math.abs));
  const cell = (values: number[], digits: number): string =>
    `${mean(values) >= 0 ? '+' : ''}${mean(values).toFixed(digits)} / ${meanAbs(values).toFixed(digits)}`;
  console.log(
    `\nstored ${size}×${size} (${spacing.map((s) => s.toFixed(3)).join(' × ')} mm); native truth over ${CASES} cases: Dice ${mean(truths.map((t) => t.dice)).toFixed(3)}, HD ${mean(truths.map((t) => t.hd)).toFixed(2)} mm, ASSD ${mean(truths.map((t) => t.assd)).toFixed(2)} mm`,
  );
  console.log(`| protocol | Dice bias / mean abs error | HD (mm) | ASSD (mm) |`);
  console.log(`|---|---:|---:|---:|`);
  for (const [protocol, e] of errors) console.log(`| ${protocol} | ${cell(e.dice, 4)} | ${cell(e.hd, 3)} | ${cell(e.assd, 3)} |`);
}

async function main(): Promise<void> {
  await initBackend('wasm');
  const sizes = process.argv.slice(2).map(Number);
  for (const size of sizes.length > 0 ? sizes : [256, 128]) study(size);
}

void main();
