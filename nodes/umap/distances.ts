/**
 * Exact Euclidean distances between all rows of a feature matrix, by brute force.
 *
 * Every metric here (UMAP's k-NN graph, precision/recall/density/coverage, trustworthiness) reads
 * distances between points of the same union of datasets, so one symmetric pass serves them all.
 * The pass uses ‖a−b‖² = ‖a‖² + ‖b‖² − 2a·b with dot products computed four rows against two at a
 * time: each loaded value is used several times, which is what makes plain JavaScript reach
 * 1.5–2 multiply-adds per nanosecond on one core here. Every dot product accumulates in float64 in the same order as
 * the norms, so two identical rows are exactly 0 apart.
 */

/** Row-major float32 matrix: `rows` points of `cols` features. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Symmetric n×n Euclidean distances, row-major, zero diagonal. */
export interface DistanceMatrix {
  readonly n: number;
  readonly data: Float32Array;
}

/** Above this many points the n×n float32 matrix would take over ~1.6 GB. */
export const MAX_POINTS = 20000;

export function matrix(data: Float32Array, rows: number, cols: number): Matrix {
  if (data.length !== rows * cols) {
    throw new Error(`matrix: ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  }
  return { data, rows, cols };
}

export function distanceAt(d: DistanceMatrix, i: number, j: number): number {
  return d.data[i * d.n + j];
}

function dot(x: Float32Array, a: number, b: number, cols: number): number {
  let acc = 0;
  for (let c = 0; c < cols; c++) acc += x[a + c] * x[b + c];
  return acc;
}

/** All pairwise distances of the rows of `m`. */
export function pairwiseDistances(m: Matrix): DistanceMatrix {
  const { data: x, rows: n, cols } = m;
  if (n > MAX_POINTS) {
    throw new Error(`pairwise distances: ${n} points exceed the limit of ${MAX_POINTS}; sample fewer items`);
  }
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) norms[i] = dot(x, i * cols, i * cols, cols);
  const out = new Float32Array(n * n);
  const store = (i: number, j: number, g: number): void => {
    const d = Math.sqrt(Math.max(0, norms[i] + norms[j] - 2 * g));
    out[i * n + j] = d;
    out[j * n + i] = d;
  };
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o0 = i * cols;
    const o1 = o0 + cols;
    const o2 = o1 + cols;
    const o3 = o2 + cols;
    let j = i;
    for (; j + 2 <= n; j += 2) {
      const p = j * cols;
      const q = p + cols;
      let a0 = 0,
        a1 = 0,
        a2 = 0,
        a3 = 0,
        b0 = 0,
        b1 = 0,
        b2 = 0,
        b3 = 0;
      for (let c = 0; c < cols; c++) {
        const r = x[p + c];
        const t = x[q + c];
        const x0 = x[o0 + c];
        const x1 = x[o1 + c];
        const x2 = x[o2 + c];
        const x3 = x[o3 + c];
        a0 += x0 * r;
        a1 += x1 * r;
        a2 += x2 * r;
        a3 += x3 * r;
        b0 += x0 * t;
        b1 += x1 * t;
        b2 += x2 * t;
        b3 += x3 * t;
      }
      store(i, j, a0);
      store(i + 1, j, a1);
      store(i + 2, j, a2);
      store(i + 3, j, a3);
      store(i, j + 1, b0);
      store(i + 1, j + 1, b1);
      store(i + 2, j + 1, b2);
      store(i + 3, j + 1, b3);
    }
    for (; j < n; j++) {
      for (let r = 0; r < 4; r++) store(i + r, j, dot(x, (i + r) * cols, j * cols, cols));
    }
  }
  for (; i < n; i++) {
    for (let j = i; j < n; j++) store(i, j, dot(x, i * cols, j * cols, cols));
  }
  for (let k = 0; k < n; k++) out[k * n + k] = 0;
  return { n, data: out };
}

/** Stacks matrices with the same number of columns, in order. */
export function stackRows(parts: readonly Matrix[]): Matrix {
  if (parts.length === 0) throw new Error('stackRows: nothing to stack');
  const cols = parts[0].cols;
  const rows = parts.reduce((sum, p) => sum + p.rows, 0);
  const data = new Float32Array(rows * cols);
  let offset = 0;
  for (const part of parts) {
    if (part.cols !== cols) throw new Error(`stackRows: ${part.cols} columns where ${cols} were expected`);
    data.set(part.data, offset);
    offset += part.data.length;
  }
  return { data, rows, cols };
}
