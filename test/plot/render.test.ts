import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { chartFonts } from '../../nodes/plot/fonts';
import { renderChart, scatterByGroup, svgToPng } from '../../nodes/plot';

/** Pixels darker than mid-grey: where text or marks were drawn on the white background. */
function darkPixels(png: Buffer): number {
  const image = PNG.sync.read(png);
  let dark = 0;
  for (let p = 0; p < image.width * image.height; p++) {
    if (image.data[p * 4 + 3] > 0 && image.data[p * 4] < 128) dark++;
  }
  return dark;
}

const textOnly = (text: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="10" y="28" font-family="sans-serif" font-size="20">${text}</text></svg>`;

describe('renderChart', () => {
  const spec = scatterByGroup({ coordinates: [0, 0, 1, 2, 3, 1], dims: 2, groups: ['real', 'real', 'artificial'], title: 'three points' });

  test('gives the same bytes for the same spec', async () => {
    const first = await renderChart(spec);
    const second = await renderChart(spec);
    expect(second.svg).toBe(first.svg);
    expect(second.png.equals(first.png)).toBe(true);
  });

  test('rasterises the SVG at twice its size by default', async () => {
    const { svg, png } = await renderChart(spec);
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    const height = Number(/<svg[^>]* height="(\d+)"/.exec(svg)?.[1]);
    const image = PNG.sync.read(png);
    expect([image.width, image.height]).toEqual([2 * width, 2 * height]);
    expect(PNG.sync.read(svgToPng(svg, { scale: 1 })).width).toBe(width);
  });

  test('draws text with the chart font', () => {
    expect(darkPixels(svgToPng(textOnly('')))).toBe(0);
    expect(darkPixels(svgToPng(textOnly('Dice 0.93')))).toBeGreaterThan(200);
  });
});

describe('chartFonts', () => {
  test('prefers CARDIGAN_FONT_DIR, then the known DejaVu folders, then the system fonts', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-font-'));
    await fs.writeFile(path.join(dir, 'DejaVuSans.ttf'), '');
    expect(chartFonts({ CARDIGAN_FONT_DIR: dir }, ['/nonexistent'])).toEqual({ files: [path.join(dir, 'DejaVuSans.ttf')], loadSystemFonts: false });
    expect(chartFonts({}, ['/nonexistent', dir])).toEqual({ files: [path.join(dir, 'DejaVuSans.ttf')], loadSystemFonts: false });
    expect(chartFonts({}, ['/nonexistent'])).toEqual({ files: [], loadSystemFonts: true });
    await fs.rm(dir, { recursive: true, force: true });
  });
});
