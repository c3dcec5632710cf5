/**
 * Connected components of a binary [rows, cols] mask (non-zero = in the set), by flood fill.
 *
 * Which connectivity each criterion uses is decided in criteria.ts (see the note there); this module
 * only takes it as an argument.
 */
export type Connectivity = 4 | 8;

export interface Components {
  /** Per pixel: 0 outside the mask, else the 1-based index of its component. */
  labels: Int32Array;
  count: number;
  /** sizes[k - 1] is the pixel count of component k. */
  sizes: number[];
  /** touchesBorder[k - 1]: component k has a pixel on the image's first or last row or column. */
  touchesBorder: boolean[];
}

export function labelComponents(mask: Uint8Array, rows: number, cols: number, connectivity: Connectivity): Components {
  if (mask.length !== rows * cols) throw new Error(`components: a ${rows}×${cols} mask needs ${rows * cols} pixels, got ${mask.length}`);
  const diagonal = connectivity === 8;
  const labels = new Int32Array(rows * cols);
  const stack = new Int32Array(rows * cols);
  const sizes: number[] = [];
  const touchesBorder: boolean[] = [];
  let top = 0;
  let label = 0;
  const visit = (next: number): void => {
    if (mask[next] !== 0 && labels[next] === 0) {
      labels[next] = label;
      stack[top++] = next;
    }
  };
  for (let seed = 0; seed < mask.length; seed++) {
    if (mask[seed] === 0 || labels[seed] !== 0) continue;
    label = sizes.length + 1;
    let size = 0;
    let border = false;
    stack[top++] = seed;
    labels[seed] = label;
    while (top > 0) {
      const index = stack[--top];
      size++;
      const r = (index / cols) | 0;
      const c = index - r * cols;
      const up = r > 0;
      const down = r < rows - 1;
      const left = c > 0;
      const right = c < cols - 1;
      if (!(up && down && left && right)) border = true;
      if (up) visit(index - cols);
      if (down) visit(index + cols);
      if (left) visit(index - 1);
      if (right) visit(index + 1);
      if (diagonal) {
        if (up && left) visit(index - cols - 1);
        if (up && right) visit(index - cols + 1);
        if (down && left) visit(index + cols - 1);
        if (down && right) visit(index + cols + 1);
      }
    }
    sizes.push(size);
    touchesBorder.push(border);
  }
  return { labels, count: sizes.length, sizes, touchesBorder };
}

/** Pixels of the mask outside its largest component (0 for an empty or single-piece mask). */
export function pixelsOutsideLargest(components: Components): number {
  if (components.count <= 1) return 0;
  const total = components.sizes.reduce((a, b) => a + b, 0);
  return total - components.sizes[largestIndex(components.sizes)];
}

/** A mask holding only the largest component (ties: the first found in row-major order). */
export function largestComponent(components: Components): Uint8Array {
  const out = new Uint8Array(components.labels.length);
  if (components.count === 0) return out;
  const largest = largestIndex(components.sizes) + 1;
  for (let i = 0; i < out.length; i++) if (components.labels[i] === largest) out[i] = 1;
  return out;
}

/** Removes components smaller than `minSize` pixels, as scikit-image's remove_small_objects. */
export function withoutSmallComponents(components: Components, minSize: number): Uint8Array {
  const out = new Uint8Array(components.labels.length);
  for (let i = 0; i < out.length; i++) {
    const label = components.labels[i];
    if (label !== 0 && components.sizes[label - 1] >= minSize) out[i] = 1;
  }
  return out;
}

/** Index of the largest size (a loop, not Math.max(...): a noisy mask can have tens of thousands). */
function largestIndex(sizes: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < sizes.length; k++) if (sizes[k] > sizes[best]) best = k;
  return best;
}
