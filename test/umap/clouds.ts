import { mulberry32, normal } from '../../nodes/data/random';
import { matrix, type Matrix } from '../../nodes/umap/distances';

/** n points of a standard normal cloud in `dims` dimensions, shifted by `offset` along every axis. */
export function gaussianCloud(n: number, dims: number, seed: number, offset = 0): Matrix {
  const random = mulberry32(seed);
  return matrix(
    Float32Array.from({ length: n * dims }, () => normal(random) + offset),
    n,
    dims,
  );
}

/** Rows `from`…`to`−1 of a matrix. */
export function rowsOf(m: Matrix, from: number, to: number): Matrix {
  return matrix(m.data.slice(from * m.cols, to * m.cols), to - from, m.cols);
}
