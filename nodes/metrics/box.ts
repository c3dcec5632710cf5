/**
 * The box around the non-zero pixels of row-major masks, and crops to it: measures that only look at
 * a structure and its neighbourhood (surface distances, anatomical criteria) run on the crop, which is
 * far smaller than the image.
 */
export interface Box {
  row0: number;
  col0: number;
  rows: number;
  cols: number;
}

/** The smallest box holding every pixel that is non-zero in any of `masks`; undefined when all are empty. */
export function nonZeroBox(masks: readonly Uint8Array[], rows: number, cols: number): Box | undefined {
  let rowMin = rows;
  let rowMax = -1;
  let colMin = cols;
  let colMax = -1;
  for (const mask of masks) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (mask[r * cols + c] === 0) continue;
        if (r < rowMin) rowMin = r;
        if (r > rowMax) rowMax = r;
        if (c < colMin) colMin = c;
        if (c > colMax) colMax = c;
      }
    }
  }
  return rowMax < 0 ? undefined : { row0: rowMin, col0: colMin, rows: rowMax - rowMin + 1, cols: colMax - colMin + 1 };
}

/** The box grown by `margin` pixels on every side, within the image. */
export function growBox(box: Box, margin: number, rows: number, cols: number): Box {
  const row0 = Math.max(0, box.row0 - margin);
  const col0 = Math.max(0, box.col0 - margin);
  const row1 = Math.min(rows, box.row0 + box.rows + margin);
  const col1 = Math.min(cols, box.col0 + box.cols + margin);
  return { row0, col0, rows: row1 - row0, cols: col1 - col0 };
}

/** The pixels of `mask` (an image `cols` wide) inside the box, row-major. */
export function crop(mask: Uint8Array, cols: number, box: Box): Uint8Array {
  const out = new Uint8Array(box.rows * box.cols);
  for (let r = 0; r < box.rows; r++) {
    const start = (box.row0 + r) * cols + box.col0;
    out.set(mask.subarray(start, start + box.cols), r * box.cols);
  }
  return out;
}
