import { labelComponents, largestComponent, pixelsOutsideLargest, withoutSmallComponents } from '../../nodes/anatomy/components';
import { countOnes, gapPixels, holeMask } from '../../nodes/anatomy/holes';
import { erosionRatioBeforeSplit, frontierRatio, widthRatio } from '../../nodes/anatomy/measures';

/** The connectivity each measure uses (documented in nodes/anatomy/criteria.ts), pinned on tiny pictures. */

/** Parses rows of text: '#' or 'a' = 1 in the first mask, 'b' = 1 in the second, anything else 0. */
function picture(lines: string[]): { a: Uint8Array; b: Uint8Array; rows: number; cols: number } {
  const rows = lines.length;
  const cols = lines[0].length;
  const a = new Uint8Array(rows * cols);
  const b = new Uint8Array(rows * cols);
  lines.forEach((line, r) =>
    [...line].forEach((ch, c) => {
      if (ch === '#' || ch === 'a') a[r * cols + c] = 1;
      if (ch === 'b') b[r * cols + c] = 1;
    }),
  );
  return { a, b, rows, cols };
}

describe('connected components', () => {
  const diagonal = picture(['##...', '##...', '..##.', '..##.', '.....']);

  it('joins pieces that touch only at a corner with 8-connectivity, not with 4', () => {
    expect(labelComponents(diagonal.a, diagonal.rows, diagonal.cols, 8).count).toBe(1);
    expect(labelComponents(diagonal.a, diagonal.rows, diagonal.cols, 4).count).toBe(2);
  });

  it('counts stray pixels outside the largest piece, keeps the largest, drops small pieces', () => {
    const { a, rows, cols } = picture(['###..#', '###...', '......', '....##']);
    const components = labelComponents(a, rows, cols, 8);
    expect(components.sizes).toEqual([6, 1, 2]);
    expect(components.touchesBorder).toEqual([true, true, true]);
    expect(pixelsOutsideLargest(components)).toBe(3);
    expect(countOnes(largestComponent(components))).toBe(6);
    expect(countOnes(withoutSmallComponents(components, 2))).toBe(8);
  });
});

describe('holes', () => {
  it('are complement regions that an 8-connected background cannot leave', () => {
    const closed = picture(['.....', '.###.', '.#.#.', '.###.', '.....']);
    expect(countOnes(holeMask(closed.a, closed.rows, closed.cols, 8))).toBe(1);
    // A ring closed only by corner contacts leaks diagonally: no hole for 8-connected background.
    const diamond = picture(['.......', '...#...', '..#.#..', '.#...#.', '..#.#..', '...#...', '.......']);
    expect(countOnes(holeMask(diamond.a, diamond.rows, diamond.cols, 8))).toBe(0);
    expect(countOnes(holeMask(diamond.a, diamond.rows, diamond.cols, 4))).toBe(5);
  });

  it('do not include regions that reach the image border', () => {
    const open = picture(['#####', '#...#', '#...#', '#####', '.....']).a;
    expect(countOnes(holeMask(open, 5, 5, 8))).toBe(6);
    const cut = picture(['#.###', '#...#', '#...#', '#####', '.....']).a;
    expect(countOnes(holeMask(cut, 5, 5, 8))).toBe(0);
  });
});

describe('gaps between two structures', () => {
  it('count the region a and b enclose together, but not holes of one that hold the other', () => {
    // a is a U open at the bottom, b closes it; the three pixels left inside are the gap.
    const gap = picture(['.......', '.aaaaa.', '.a..ba.', '.a.bba.', '.bbbbb.', '.......']);
    expect(gapPixels(gap.a, gap.b, gap.rows, gap.cols)).toBe(3);
    // a ring around b (an LV inside its myocardium) is not a gap.
    const nested = picture(['.......', '.aaaaa.', '.abbba.', '.abbba.', '.aaaaa.', '.......']);
    expect(gapPixels(nested.a, nested.b, nested.rows, nested.cols)).toBe(0);
  });

  it('use 4-connectivity: a gap sealed only at a corner still counts', () => {
    const corner = picture(['......', '.aaa..', '.a..b.', '.a.b..', '..b...', '......']);
    expect(gapPixels(corner.a, corner.b, corner.rows, corner.cols)).toBe(3);
  });
});

describe('shape measures', () => {
  it('frontier: pixels of a with b among their 8 neighbours over the width of a; a stretch of at most 3 counts as none', () => {
    const touching = picture(['aaaa', 'aaaa', '.bb.']);
    expect(frontierRatio(touching.a, touching.b, 3, 4)).toBe(4 / 4);
    const corner = picture(['aaa.', '...b']);
    expect(frontierRatio(corner.a, corner.b, 2, 4)).toBe(0);
    // One pixel of contact: that pixel and its two diagonal neighbours, what a corner touch or a closed
    // sub-pixel gap gives; two such stretches still count as none.
    const onePixel = picture(['aaaaaaa', '.b...b.']);
    expect(frontierRatio(onePixel.a, onePixel.b, 2, 7)).toBe(0);
    const twoPixels = picture(['aaaaaaa', '.bb....']);
    expect(frontierRatio(twoPixels.a, twoPixels.b, 2, 7)).toBe(4 / 7);
  });

  it('frontier at scale k: measured on the mask enlarged k times, a stretch of at most k + 2 counting as none', () => {
    // Enlarged twice, the 2-pixel contact lies under 4 pixels of a plus one diagonal at each end: 6 over
    // 8 columns. The end pixels do not grow with the mask, so the ratio falls from 4/4 towards 2/4.
    const touching = picture(['aaaa', 'aaaa', '.bb.']);
    expect(frontierRatio(touching.a, touching.b, 3, 4, 2)).toBe(6 / 8);
    expect(frontierRatio(touching.a, touching.b, 3, 4, 4)).toBe(10 / 16);
    // A one-pixel contact is 2 + 2 pixels at scale 2 and 4 + 2 at scale 4: none at either.
    const onePixel = picture(['aaa', '.b.']);
    expect([2, 4].map((scale) => frontierRatio(onePixel.a, onePixel.b, 2, 3, scale))).toEqual([0, 0]);
  });

  it('width ratio: widths on the row through the truncated (not rounded) centre of mass', () => {
    // 16 pixels with row sum 0·3 + 1·3 + 2·5 + 3·5 = 28: centre of mass at row 1.75, truncated to row 1.
    const { a, b, rows, cols } = picture(['.bab.', '.bab.', 'bbaab', 'bbaab']);
    expect(widthRatio(a, b, rows, cols)).toBe(1 / 2);
    expect(widthRatio(a, new Uint8Array(a.length), rows, cols)).toBeNaN();
  });

  it('erosion ratio: erosions before a split over the largest inner distance', () => {
    // Two 5×5 blocks joined by a one-pixel bridge: one 3×3 erosion splits them; the thickness is 3.
    const bridged = picture(['.............', '.#####.#####.', '.#####.#####.', '.###########.', '.#####.#####.', '.#####.#####.', '.............']);
    expect(erosionRatioBeforeSplit(bridged.a, bridged.rows, bridged.cols, 1)).toBeCloseTo(1 / 3, 12);
    // Without the bridge the blocks are two pieces; the ratio is measured on the first (largest) one,
    // a solid block that erodes away without splitting: 3 erosions over a thickness of 3.
    const apart = picture(['.............', '.#####.#####.', '.#####.#####.', '.#####.#####.', '.#####.#####.', '.#####.#####.', '.............']);
    expect(erosionRatioBeforeSplit(apart.a, apart.rows, apart.cols, 1)).toBeCloseTo(3 / 3, 12);
  });
});
