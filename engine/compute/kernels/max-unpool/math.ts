/**
 * 2×2 stride-2 max pooling that marks where each maximum was, and max-unpooling, over NHWC arrays
 * of even height and width, in one pass each. The mark is a 0/1 mask of the input's shape with one
 * 1 per window and channel: the first largest value in row-major order within the window (as
 * TensorFlow's argmax and cardigan's wasm MaxPoolWithArgmax choose; a NaN first in its window wins).
 */
export interface Nhwc {
  batch: number;
  height: number;
  width: number;
  channels: number;
}

/** pooled[n, i, j, c] = max of the window; mask = 1 at its position, 0 elsewhere. */
export function poolWithMask(x: Float32Array, shape: Nhwc, pooled: Float32Array, mask: Float32Array): void {
  const { batch, height, width, channels: c } = shape;
  const row = width * c;
  mask.fill(0);
  let out = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < height; i += 2) {
      for (let j = 0; j < width; j += 2) {
        const topLeft = ((n * height + i) * width + j) * c;
        for (let ch = 0; ch < c; ch++) {
          const a = topLeft + ch;
          let at = a;
          let best = x[a];
          if (x[a + c] > best) {
            best = x[a + c];
            at = a + c;
          }
          if (x[a + row] > best) {
            best = x[a + row];
            at = a + row;
          }
          if (x[a + row + c] > best) {
            best = x[a + row + c];
            at = a + row + c;
          }
          pooled[out++] = best;
          mask[at] = 1;
        }
      }
    }
  }
}

/** out = mask ⊙ (each value of y repeated over its 2×2 window): y's values back at their maxima. */
export function unpool(y: Float32Array, mask: Float32Array, shape: Nhwc, out: Float32Array): void {
  const { batch, height, width, channels: c } = shape;
  const row = width * c;
  let k = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < height; i += 2) {
      for (let j = 0; j < width; j += 2) {
        const a = ((n * height + i) * width + j) * c;
        for (let ch = 0; ch < c; ch++) {
          const v = y[k++];
          const p = a + ch;
          out[p] = mask[p] * v;
          out[p + c] = mask[p + c] * v;
          out[p + row] = mask[p + row] * v;
          out[p + row + c] = mask[p + row + c] * v;
        }
      }
    }
  }
}

/** The gradient of `unpool` with respect to y: each window's Σ mask ⊙ dy (dy at its maximum). */
export function unpoolGrad(dy: Float32Array, mask: Float32Array, shape: Nhwc, dValues: Float32Array): void {
  const { batch, height, width, channels: c } = shape;
  const row = width * c;
  let k = 0;
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < height; i += 2) {
      for (let j = 0; j < width; j += 2) {
        const a = ((n * height + i) * width + j) * c;
        for (let ch = 0; ch < c; ch++) {
          const p = a + ch;
          dValues[k++] = mask[p] * dy[p] + mask[p + c] * dy[p + c] + mask[p + row] * dy[p + row] + mask[p + row + c] * dy[p + row + c];
        }
      }
    }
  }
}
