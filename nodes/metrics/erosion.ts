/**
 * One step of binary erosion on a row-major [rows, cols] mask (non-zero = foreground).
 *
 * `connectivity` 4 is scipy's `generate_binary_structure(2, 1)` (the cross MedPy uses for surfaces);
 * 8 is the 3×3 square. `outside` says what lies beyond the image: `background` erodes pixels on the
 * border (scipy's default border_value=0, which MedPy relies on, so a mask touching the edge has a
 * surface there); `foreground` leaves them (scikit-image's binary_erosion, which vital's erosion-ratio
 * criterion relies on).
 */
export interface ErosionOptions {
  connectivity: 4 | 8;
  outside: 'background' | 'foreground';
}

export function erode(mask: Uint8Array, rows: number, cols: number, options: ErosionOptions): Uint8Array {
  if (mask.length !== rows * cols) throw new Error(`erode: a ${rows}×${cols} mask needs ${rows * cols} pixels, got ${mask.length}`);
  const edge = options.outside === 'foreground';
  const diagonal = options.connectivity === 8;
  const out = new Uint8Array(rows * cols);
  const at = (r: number, c: number): boolean => (r < 0 || r >= rows || c < 0 || c >= cols ? edge : mask[r * cols + c] !== 0);
  for (let r = 0; r < rows; r++) {
    const interiorRow = r > 0 && r < rows - 1;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (mask[i] === 0) continue;
      let keep: boolean;
      if (interiorRow && c > 0 && c < cols - 1) {
        // Fast path away from the border: direct indexing.
        keep = mask[i - 1] !== 0 && mask[i + 1] !== 0 && mask[i - cols] !== 0 && mask[i + cols] !== 0;
        if (keep && diagonal) {
          keep = mask[i - cols - 1] !== 0 && mask[i - cols + 1] !== 0 && mask[i + cols - 1] !== 0 && mask[i + cols + 1] !== 0;
        }
      } else {
        keep = at(r, c - 1) && at(r, c + 1) && at(r - 1, c) && at(r + 1, c);
        if (keep && diagonal) keep = at(r - 1, c - 1) && at(r - 1, c + 1) && at(r + 1, c - 1) && at(r + 1, c + 1);
      }
      if (keep) out[i] = 1;
    }
  }
  return out;
}
