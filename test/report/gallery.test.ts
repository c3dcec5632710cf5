import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { ArtifactFolder } from '../../nodes/report/artifact-folder';
import { GALLERY_LIMITS, galleryHtml, pngSize } from '../../nodes/report/gallery';

/** Blank pictures, kept small: pngjs encodes several times slower under jest than in plain Node. */
function png(width: number, height: number): Buffer {
  return PNG.sync.write(new PNG({ width, height }));
}

describe('pictures gallery', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-gallery-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const figureId = (rel: string): string => `fig-${rel}`;
  const shownFiles = (html: string): string[] => [...html.matchAll(/<figcaption><code>([^<]+)<\/code>/g)].map((m) => m[1]);

  it('shows a folder of many pictures as its first and last ones, and says how many there are', async () => {
    await fs.mkdir(path.join(dir, 'samples'));
    for (let epoch = 1; epoch <= 9; epoch++) await fs.writeFile(path.join(dir, 'samples', `epoch-00${epoch}.png`), png(20, 10));
    await fs.writeFile(path.join(dir, 'preview.png'), png(20, 10));
    const folder = await ArtifactFolder.read('model', dir);
    const text = (await galleryHtml(folder, figureId, { bytes: 1e6 })).text;
    expect(shownFiles(text)).toEqual(['preview.png', 'samples/epoch-001.png', 'samples/epoch-007.png', 'samples/epoch-008.png', 'samples/epoch-009.png']);
    expect(GALLERY_LIMITS.perFolder).toBe(4);
    expect(text).toContain('4 of the 9 pictures in <code>samples/</code> are shown (the first and the last)');
    expect(text).toContain('<figure id="fig-preview.png" class="picture">');
    expect(folder.unclaimed().map((f) => f.rel)).toEqual([
      'samples/epoch-002.png',
      'samples/epoch-003.png',
      'samples/epoch-004.png',
      'samples/epoch-005.png',
      'samples/epoch-006.png',
    ]);
  });

  it("prefers a chart's SVG to its PNG twin, and doubles small pictures", async () => {
    await fs.writeFile(path.join(dir, 'chart.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    await fs.writeFile(path.join(dir, 'chart.png'), png(10, 10));
    await fs.writeFile(path.join(dir, 'mask.png'), png(48, 32));
    const folder = await ArtifactFolder.read('report', dir);
    const text = (await galleryHtml(folder, figureId, { bytes: 1e6 })).text;
    expect(shownFiles(text)).toEqual(['chart.svg', 'mask.png']);
    expect(text).toContain('data:image/svg+xml;base64,');
    expect(text).toMatch(/<img alt="mask.png" src="data:image\/png;base64,[^"]+" width="96" height="64">/);
    expect(folder.unclaimed()).toEqual([]);
  });

  it('stops inlining when the byte budget is spent, naming what it left out', async () => {
    await fs.writeFile(path.join(dir, 'a.png'), png(40, 40));
    await fs.writeFile(path.join(dir, 'b.png'), png(40, 40));
    const folder = await ArtifactFolder.read('report', dir);
    const size = folder.files[0].size;
    const budget = { bytes: size + 10 };
    const text = (await galleryHtml(folder, figureId, budget)).text;
    expect(shownFiles(text)).toEqual(['a.png']);
    expect(text).toContain('<code>b.png</code> (');
    expect(text).toContain(') is not inlined, to keep the page small; it is in the cache.');
    expect(budget.bytes).toBe(10);
  });

  it("lists the evaluate node's label maps instead of showing them", async () => {
    await fs.mkdir(path.join(dir, 'predictions', 'unet'), { recursive: true });
    for (const item of ['a', 'b', 'c']) await fs.writeFile(path.join(dir, 'predictions', 'unet', `${item}.png`), png(4, 4));
    await fs.writeFile(path.join(dir, 'examples.png'), png(4, 4));
    const folder = await ArtifactFolder.read('metrics', dir);
    const text = (await galleryHtml(folder, figureId, { bytes: 1e6 })).text;
    expect(shownFiles(text)).toEqual(['examples.png']);
    expect(text).toContain('3 label map(s) in <code>predictions/</code> are data (for <code>cardigan metrics</code>), not figures: see the file list.');
  });

  it("reads a PNG's size from its header, and nothing from other files", () => {
    expect(pngSize(png(7, 5))).toEqual({ width: 7, height: 5 });
    expect(pngSize(Buffer.from('<svg/>'))).toBeUndefined();
  });
});
