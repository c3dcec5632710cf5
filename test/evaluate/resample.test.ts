import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { labelsAt, resampleLabels, type Size } from '../../nodes/evaluate/resample';
import { binaryMetrics } from '../../nodes/metrics/segmentation-metrics';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from '../models/backend';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

beforeAll(() => useBackend('wasm'));

/**
 * Bilinear interpolation with half-pixel centres (TensorFlow's `half_pixel_centers=True`), restated
 * in NumPy: output pixel i samples input coordinate (i + 0.5)·in/out − 0.5, clamped to the image.
 * Prints the arg-max and the margin between the two largest interpolated values per pixel.
 */
const NUMPY_BILINEAR = `
import json, sys, numpy as np
d = json.load(open(sys.argv[1]))
h, w, c = d['shape']; oh, ow = d['size']
x = np.array(d['values'], dtype=np.float64).reshape(h, w, c)
def taps(n_in, n_out):
    src = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0, n_in - 1)
    lo = np.floor(src).astype(int)
    return lo, np.minimum(lo + 1, n_in - 1), src - lo
r0, r1, fr = taps(h, oh)
c0, c1, fc = taps(w, ow)
rows = x[r0] * (1 - fr)[:, None, None] + x[r1] * fr[:, None, None]
y = rows[:, c0] * (1 - fc)[None, :, None] + rows[:, c1] * fc[None, :, None]
top2 = np.sort(y, axis=2)[:, :, -2:]
print(json.dumps({'labels': y.argmax(axis=2).ravel().tolist(), 'margin': (top2[:, :, 1] - top2[:, :, 0]).ravel().tolist()}))
`;

async function numpyLabels(values: Float32Array, shape: [number, number, number], size: Size): Promise<{ labels: number[]; margin: number[] }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'resample-'));
  try {
    const file = path.join(dir, 'input.json');
    await fs.writeFile(file, JSON.stringify({ shape, size, values: Array.from(values) }));
    return JSON.parse(references.run(NUMPY_BILINEAR, [{ input: file }])) as { labels: number[]; margin: number[] };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Near-ties within this go to the lower label on purpose (resample.ts's tie break is 1e-5 per label). */
const NEAR_TIE = 1e-4;

/** Pixels where two label maps differ although the reference's top two classes are clearly apart. */
function clearDisagreements(ours: Uint8Array, reference: { labels: number[]; margin: number[] }): number {
  let count = 0;
  ours.forEach((label, i) => {
    if (label !== reference.labels[i] && reference.margin[i] > NEAR_TIE) count++;
  });
  return count;
}

describe('labelsAt', () => {
  it.each([
    ['up, non-integer factors', [37, 23] as Size],
    ['down', [11, 9] as Size],
    ['up in rows, down in columns', [40, 12] as Size],
  ])('arg-maxes bilinearly resized probabilities as NumPy does (%s)', async (_name, size) => {
    const rng = new Rng('resample');
    const [h, w, c] = [16, 14, 4];
    const logits = tf.tensor3d(
      Float32Array.from({ length: h * w * c }, () => 4 * rng.uniform(-1, 1)),
      [h, w, c],
    );
    const probabilities = tf.softmax(logits) as tf.Tensor3D;
    const ours = labelsAt(probabilities, size);
    const reference = await numpyLabels(probabilities.dataSync() as Float32Array, [h, w, c], size);
    tf.dispose([logits, probabilities]);
    expect(ours.length).toBe(size[0] * size[1]);
    expect(clearDisagreements(ours, reference)).toBe(0);
    // The comparison is not vacuous: near-ties are rare.
    expect(reference.margin.filter((m) => m <= NEAR_TIE).length).toBeLessThan(3);
  });

  it('leaves a label map untouched at its own size and keeps blocks whole when enlarging by whole factors', () => {
    const labels = Uint8Array.of(0, 1, 2, 3, 3, 2, 1, 0, 1, 1, 3, 3);
    expect(resampleLabels(labels, [3, 4], [3, 4], 4)).toBe(labels);
    // A 2×2 block of one label (rows 0-1, cols 2-3 of a 4×4 map) stays a 6×6 block at 3×.
    const blocky = Uint8Array.of(0, 0, 2, 2, 0, 0, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1);
    const up = resampleLabels(blocky, [4, 4], [12, 12], 4);
    const block = [];
    for (let r = 0; r < 6; r++) for (let c = 6; c < 12; c++) block.push(up[r * 12 + c]);
    expect(block.every((v) => v === 2)).toBe(true);
    expect(up.slice(6 * 12).every((v) => v === 1)).toBe(true);
  });
});

describe('exact ties', () => {
  it('go to the lower label wherever they fall', () => {
    // Single LV pixels enlarged 3× in rows and 2× in columns: the native pixels in a block's top and
    // bottom rows weigh the pixel 2/3 · 3/4 = 1/2 against 1/2 of background, a tie; only its middle row
    // (weight 3/4) stays LV, at every position alike (float rounding differs from place to place).
    // No spot touches the image border (where clamping gives the pixel more weight) or another spot.
    const size = 10;
    const labels = new Uint8Array(size * size);
    const spots = [11, 14, 17, 33, 36, 38, 55, 58, 71, 77, 84];
    for (const spot of spots) labels[spot] = 1;
    const native = resampleLabels(labels, [size, size], [3 * size, 2 * size], 4);
    for (const spot of spots) {
      const [r, c] = [Math.floor(spot / size), spot % size];
      const block = [0, 1, 2].map((dr) => [0, 1].map((dc) => native[(3 * r + dr) * 2 * size + 2 * c + dc]).join('')).join('|');
      expect(block).toBe('00|11|00');
    }
    expect(native.reduce((sum, v) => sum + v, 0)).toBe(2 * spots.length);
  });
});

describe('native-size metrics from a stored-size segmentation', () => {
  // Concentric discs on a 0.2 mm native grid (200×200, 40 mm): ground truth r = 10 mm, prediction
  // r = 12 mm, so at the native size HD = ASSD = 2 mm up to the native raster. The dataset keeps
  // both at 40×40 (1 mm): the ground truth nearest-downsampled as load-camus stores it, and the
  // prediction as a model would give it, soft (each coarse pixel's covered area).
  const NATIVE: Size = [200, 200];
  const NATIVE_SPACING: [number, number] = [0.2, 0.2];
  const STORED = 40;
  const centre = 20.1;
  const inDisc = (radius: number, y: number, x: number): boolean => (y - centre) ** 2 + (x - centre) ** 2 <= radius ** 2;
  const nativeDisc = (radius: number): Uint8Array => {
    const out = new Uint8Array(NATIVE[0] * NATIVE[1]);
    for (let r = 0; r < NATIVE[0]; r++) for (let c = 0; c < NATIVE[1]; c++) out[r * NATIVE[1] + c] = inDisc(radius, (r + 0.5) * 0.2, (c + 0.5) * 0.2) ? 1 : 0;
    return out;
  };

  it('come within a native pixel of the native truth, where nearest-neighbour upsampling is half a stored pixel off', () => {
    const truthGt = nativeDisc(10);
    const truthPred = nativeDisc(12);
    const truth = binaryMetrics(truthPred, truthGt, NATIVE[0], NATIVE[1], NATIVE_SPACING);
    expect(truth.hd).toBeCloseTo(2, 0);
    expect(truth.assd).toBeCloseTo(2, 1);

    const storedGt = new Uint8Array(STORED * STORED);
    const probabilities = new Float32Array(STORED * STORED * 2);
    const k = 8;
    for (let r = 0; r < STORED; r++) {
      for (let c = 0; c < STORED; c++) {
        storedGt[r * STORED + c] = truthGt[(r * 5 + 2) * NATIVE[1] + c * 5 + 2];
        let covered = 0;
        for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) if (inDisc(12, r + (a + 0.5) / k, c + (b + 0.5) / k)) covered++;
        probabilities[2 * (r * STORED + c) + 1] = covered / (k * k);
        probabilities[2 * (r * STORED + c)] = 1 - covered / (k * k);
      }
    }
    const soft = tf.tensor3d(probabilities, [STORED, STORED, 2]);
    const prediction = labelsAt(soft, NATIVE);
    const storedPrediction = labelsAt(soft, [STORED, STORED]);
    soft.dispose();

    // The prediction's boundary is placed between coarse pixels: against the true native ground
    // truth it measures 2 mm to within one native pixel (0.2 mm) ...
    const againstTruth = binaryMetrics(prediction, truthGt, NATIVE[0], NATIVE[1], NATIVE_SPACING);
    expect(Math.abs(againstTruth.hd - truth.hd)).toBeLessThanOrEqual(0.2 + 1e-9);
    expect(Math.abs(againstTruth.assd - truth.assd)).toBeLessThan(0.02);
    // ... which labels enlarged with nearest neighbour cannot do (their boundary is on the 1 mm grid).
    const nearest = resampleNearest(storedPrediction, STORED, NATIVE[0]);
    const nearestAgainstTruth = binaryMetrics(nearest, truthGt, NATIVE[0], NATIVE[1], NATIVE_SPACING);
    expect(Math.abs(nearestAgainstTruth.assd - truth.assd)).toBeGreaterThan(3 * Math.abs(againstTruth.assd - truth.assd));
    expect(Math.abs(nearestAgainstTruth.hd - truth.hd)).toBeGreaterThan(2 * Math.abs(againstTruth.hd - truth.hd));

    // Against the stored ground truth resampled the same way (all the dataset has), the error is
    // what the stored ground truth itself carries: at most half a stored pixel.
    const groundTruth = resampleLabels(storedGt, [STORED, STORED], NATIVE, 2);
    const evaluated = binaryMetrics(prediction, groundTruth, NATIVE[0], NATIVE[1], NATIVE_SPACING);
    expect(Math.abs(evaluated.hd - truth.hd)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(evaluated.assd - truth.assd)).toBeLessThan(0.1);
    expect(Math.abs(evaluated.dice - truth.dice)).toBeLessThan(0.01);
  });
});

function resampleNearest(labels: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to * to);
  for (let r = 0; r < to; r++)
    for (let c = 0; c < to; c++) out[r * to + c] = labels[Math.floor(((r + 0.5) * from) / to) * from + Math.floor(((c + 0.5) * from) / to)];
  return out;
}
