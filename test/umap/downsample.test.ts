import { areaResampler } from '../../nodes/umap/downsample';
import { mulberry32 } from '../../nodes/data/random';

function resample(source: number[], h: number, w: number, size: number): number[] {
  const out = new Float32Array(size * size);
  areaResampler(h, w, size)(source, out, 0);
  return Array.from(out);
}

describe('area resampling', () => {
  test('averages blocks when the size divides the input', () => {
    const random = mulberry32(1);
    const source = Array.from({ length: 8 * 8 }, () => random());
    const out = resample(source, 8, 8, 4);
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        const block = [0, 1].flatMap((dr) => [0, 1].map((dc) => source[(2 * r + dr) * 8 + 2 * c + dc]));
        expect(out[r * 4 + c]).toBeCloseTo(block.reduce((a, b) => a + b) / 4, 6);
      }
    }
  });

  test('weighs pixels cut by a cell border by the part inside (3×3 → 2×2)', () => {
    // Cell (0,0) covers rows and columns [0, 1.5): pixel (0,0) whole, (0,1) and (1,0) half, (1,1) a quarter.
    const source = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const expected = (1 * 1 + 2 * 0.5 + 4 * 0.5 + 5 * 0.25) / 2.25;
    expect(resample(source, 3, 3, 2)[0]).toBeCloseTo(expected, 6);
  });

  test('keeps the mean of any image and the value of a constant one', () => {
    const random = mulberry32(2);
    const source = Array.from({ length: 7 * 5 }, () => random());
    const out = resample(source, 7, 5, 3);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b) / xs.length;
    expect(mean(out)).toBeCloseTo(mean(source), 6);
    expect(resample(new Array(35).fill(0.25), 7, 5, 3)).toEqual(new Array(9).fill(0.25));
  });

  test('refuses to upsample', () => {
    expect(() => areaResampler(4, 8, 5)).toThrow('5×5 is larger than 4×8');
  });
});
