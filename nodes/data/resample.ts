// Module constants, not `Math.x` lookups: under jest's sandbox every global lookup in a hot loop is slow.
const { abs, ceil, floor, max, min } = Math;

/**
 * Resizing 2-D images: "bilinear" for intensities, nearest for label maps. Bilinear is PIL's (which the
 * CAMUS reference tooling, vital, uses): a triangle filter whose support widens with the reduction
 * factor, so downsizing a 900-row speckled image to 256 averages instead of aliasing, and upsizing is
 * plain bilinear interpolation. Both align pixel centres, so a mask and its image stay registered.
 */

interface Taps {
  start: Int32Array;
  count: Int32Array;
  /** `maxCount` weights per output index, normalised to sum 1. */
  weights: Float32Array;
  maxCount: number;
}

function triangleTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = max(1, scale);
  const maxCount = ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxCount);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = max(0, floor(centre - support + 0.5));
    const hi = min(inSize, floor(centre + support + 0.5));
    let total = 0;
    for (let x = lo; x < hi; x++) {
      const w = max(0, 1 - abs((x + 0.5 - centre) / support));
      weights[i * maxCount + x - lo] = w;
      total += w;
    }
    for (let x = lo; x < hi; x++) weights[i * maxCount + x - lo] /= total;
    start[i] = lo;
    count[i] = hi - lo;
  }
  return { start, count, weights, maxCount };
}

let scratchBuffer = new Float32Array(0);

/** A reused buffer for the intermediate pass: resizing thousands of images allocates once. */
function scratch(length: number): Float32Array {
  if (scratchBuffer.length < length) scratchBuffer = new Float32Array(length);
  return scratchBuffer.subarray(0, length);
}

/** Bilinear (triangle-filter) resize of a [rows, cols] array into a Float32Array [outRows, outCols]. */
export function resizeBilinear(
  src: ArrayLike<number>,
  rows: number,
  cols: number,
  outRows: number,
  outCols: number,
  out: Float32Array = new Float32Array(outRows * outCols),
): Float32Array {
  const { start: hStart, count: hCount, weights: hWeights, maxCount: hMax } = triangleTaps(cols, outCols);
  const { start: vStart, count: vCount, weights: vWeights, maxCount: vMax } = triangleTaps(rows, outRows);
  // Vertical pass into [outRows, cols] (whole rows at a time), then horizontal pass into [outRows, outCols].
  const mid = scratch(outRows * cols);
  mid.fill(0);
  for (let r = 0; r < outRows; r++) {
    const base = r * vMax;
    const midRow = r * cols;
    const n = vCount[r];
    for (let k = 0; k < n; k++) {
      const w = vWeights[base + k];
      const srcRow = (vStart[r] + k) * cols;
      for (let c = 0; c < cols; c++) mid[midRow + c] += src[srcRow + c] * w;
    }
  }
  for (let r = 0; r < outRows; r++) {
    const midRow = r * cols;
    const outRow = r * outCols;
    for (let c = 0; c < outCols; c++) {
      const base = c * hMax;
      const first = midRow + hStart[c];
      const n = hCount[c];
      let sum = 0;
      for (let k = 0; k < n; k++) sum += mid[first + k] * hWeights[base + k];
      out[outRow + c] = sum;
    }
  }
  return out;
}

/** Nearest-neighbour resize of a label map [rows, cols] into a new Uint8Array [outRows, outCols]. */
export function resizeNearest(
  src: ArrayLike<number>,
  rows: number,
  cols: number,
  outRows: number,
  outCols: number,
  out: Uint8Array = new Uint8Array(outRows * outCols),
): Uint8Array {
  const colIndex = new Int32Array(outCols);
  for (let c = 0; c < outCols; c++) colIndex[c] = min(cols - 1, floor((c + 0.5) * (cols / outCols)));
  for (let r = 0; r < outRows; r++) {
    const srcRow = min(rows - 1, floor((r + 0.5) * (rows / outRows))) * cols;
    const outRow = r * outCols;
    for (let c = 0; c < outCols; c++) out[outRow + c] = src[srcRow + colIndex[c]];
  }
  return out;
}

/** Pixel spacing [row, col] in mm after resizing from [rows, cols] to [outRows, outCols]. */
export function resizedSpacing(spacing: [number, number], rows: number, cols: number, outRows: number, outCols: number): [number, number] {
  return [(spacing[0] * rows) / outRows, (spacing[1] * cols) / outCols];
}
