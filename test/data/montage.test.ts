import { decodePng } from '../../nodes/data/png';
import { MASK_PALETTE, montagePng, renderMontage, type MontageRow } from '../../nodes/data/montage';
import { drawText, textWidth } from '../../nodes/data/font';
import { PNG } from 'pngjs';

function pixel(picture: { rgb: Uint8Array; width: number }, x: number, y: number): number[] {
  const k = 3 * (y * picture.width + x);
  return [picture.rgb[k], picture.rgb[k + 1], picture.rgb[k + 2]];
}

describe('montage', () => {
  const size = 8;
  const labels = Uint8Array.from({ length: size * size }, (_, k) => Math.floor((k % size) / 2));
  const gray = Float32Array.from({ length: size * size }, () => 0.5);
  const rows: MontageRow[] = [
    {
      label: 'row A',
      tiles: [
        { kind: 'mask', labels, rows: size, cols: size, caption: 'mask' },
        { kind: 'image', pixels: gray, rows: size, cols: size },
        { kind: 'overlay', pixels: gray, labels, rows: size, cols: size, alpha: 1 },
      ],
    },
    { tiles: [{ kind: 'image', pixels: gray, rows: size, cols: size }] },
  ];

  it('lays out rows × columns of fixed boxes with the label margin', () => {
    const picture = renderMontage(rows, { tileSize: 32 });
    const labelWidth = textWidth('row A');
    expect(picture.width).toBe(6 + labelWidth + 6 + 3 * (32 + 6));
    expect(picture.height).toBeGreaterThan(2 * 32);
  });

  it('colours masks with the fixed palette, images in gray, overlays with the mask colour', () => {
    const picture = renderMontage(rows, { tileSize: 32 });
    const left = 6 + textWidth('row A') + 6;
    const top = 6;
    // Columns 0-1 of the source are label 0, 6-7 label 3; the 8-px tile is scaled 4× into the 32-px box.
    expect(pixel(picture, left + 1, top + 5)).toEqual([...MASK_PALETTE[0]]);
    expect(pixel(picture, left + 30, top + 5)).toEqual([...MASK_PALETTE[3]]);
    expect(pixel(picture, left + 38 + 10, top + 5)).toEqual([128, 128, 128]);
    expect(pixel(picture, left + 2 * 38 + 30, top + 5)).toEqual([...MASK_PALETTE[3]]);
    expect(pixel(picture, left + 2 * 38 + 1, top + 5)).toEqual([128, 128, 128]);
  });

  it('keeps the physical aspect ratio inside the box', () => {
    const tall: MontageRow[] = [{ tiles: [{ kind: 'image', pixels: new Float32Array(16).fill(1), rows: 4, cols: 4, pixelAspect: 0.5 }] }];
    const picture = renderMontage(tall, { tileSize: 40 });
    // 4 rows × 0.5 physical height per 4 cols: a 2:1 wide picture, 40 wide and 20 high, centred vertically.
    expect(pixel(picture, 6 + 20, 6 + 20)).toEqual([255, 255, 255]);
    expect(pixel(picture, 6 + 20, 6 + 5)).toEqual([24, 24, 24]);
  });

  it('encodes a PNG of the same size', () => {
    const png = PNG.sync.read(montagePng(rows, { tileSize: 32, title: 'title', columnTitles: ['a', 'b', 'c'] }));
    const picture = renderMontage(rows, { tileSize: 32, title: 'title', columnTitles: ['a', 'b', 'c'] });
    expect([png.width, png.height]).toEqual([picture.width, picture.height]);
    expect(() => decodePng(montagePng(rows), 'm.png')).toThrow(/colour PNG/);
  });

  it('draws glyph pixels for text and none for spaces', () => {
    const rgb = new Uint8Array(3 * 20 * 10);
    drawText(rgb, 20, 10, ' ', 0, 0, [255, 255, 255]);
    expect(rgb.some((v) => v !== 0)).toBe(false);
    drawText(rgb, 20, 10, 'T', 0, 0, [255, 255, 255]);
    // T: full top bar, then the middle column.
    expect([0, 1, 2, 3, 4].map((x) => rgb[3 * x])).toEqual([255, 255, 255, 255, 255]);
    expect(rgb[3 * (20 * 3 + 2)]).toBe(255);
    expect(rgb[3 * (20 * 3 + 0)]).toBe(0);
  });
});
