/**
 * Area-average resampling to size×size (what OpenCV calls INTER_AREA): each output pixel is the mean
 * of the input area it covers, input pixels cut by a cell border counting for the part inside. It
 * works for any ratio, is exact block averaging when the size divides the input, and is separable:
 * rows first, then columns.
 */

/** For each output cell along one axis: the first input index it touches and the weights from there. */
interface AxisWeights {
  start: Int32Array;
  weights: Float64Array[];
}

function axisWeights(input: number, output: number): AxisWeights {
  const scale = input / output;
  const start = new Int32Array(output);
  const weights: Float64Array[] = [];
  for (let o = 0; o < output; o++) {
    const from = o * scale;
    const to = (o + 1) * scale;
    const first = Math.floor(from);
    const last = Math.min(input, Math.ceil(to));
    const w = new Float64Array(last - first);
    for (let i = first; i < last; i++) w[i - first] = (Math.min(to, i + 1) - Math.max(from, i)) / scale;
    start[o] = first;
    weights.push(w);
  }
  return { start, weights };
}

/** A resampler from h×w to size×size, weights computed once for many images of one size. */
export function areaResampler(h: number, w: number, size: number): (source: ArrayLike<number>, target: Float32Array, offset: number) => void {
  if (size > h || size > w) throw new Error(`area resampling: ${size}×${size} is larger than ${h}×${w}`);
  const rows = axisWeights(h, size);
  const cols = axisWeights(w, size);
  const across = new Float64Array(h * size);
  return (source, target, offset) => {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < size; c++) {
        const weights = cols.weights[c];
        const base = r * w + cols.start[c];
        let acc = 0;
        for (let t = 0; t < weights.length; t++) acc += weights[t] * source[base + t];
        across[r * size + c] = acc;
      }
    }
    for (let o = 0; o < size; o++) {
      const weights = rows.weights[o];
      const first = rows.start[o];
      for (let c = 0; c < size; c++) {
        let acc = 0;
        for (let t = 0; t < weights.length; t++) acc += weights[t] * across[(first + t) * size + c];
        target[offset + o * size + c] = acc;
      }
    }
  };
}
