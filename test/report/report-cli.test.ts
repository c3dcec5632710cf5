import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nodeAnchor } from '../../nodes/report/provenance';
import { Browser, type PageVisit } from '../rig/browser';
import { runCli } from '../rig/cli';
import type { ExperimentTree } from '../rig/experiment-tree';
import { describeWith } from '../rig/tools/presence';
import { writeTinyExperiment } from './tiny-experiment';

/**
 * End to end: the tiny experiment runs through `cardigan run`, `cardigan report` writes the page,
 * and Debian's headless Chromium opens it from a file:// URL. With CARDIGAN_README_SCREENSHOT=1 the
 * screenshot also replaces test/fixtures/readme/report.png (the README's picture). Code that runs in
 * the page is passed as strings: the project compiles without the DOM's types.
 */

const README_SCREENSHOT = path.resolve(__dirname, '../fixtures/readme/report.png');
const NODES = ['camus', 'vae', 'camusx', 'unet[train=camus]', 'unet[train=camusx]', 'table1', 'gap'];

describe('cardigan report', () => {
  let tree: ExperimentTree;
  let file: string;
  let cache: string;
  let out: string;
  let html: string;

  beforeAll(async () => {
    ({ tree, file, cache } = await writeTinyExperiment());
    out = tree.path('out/report.html');
    const run = runCli(['run', file, '--cache', cache, '--backend', 'cpu', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = runCli(['report', file, '--cache', cache, '--out', out]);
    expect(report.stderr).toBe('');
    expect(report.stdout).toBe(`report: ${out} (7 of 7 nodes with results)\n`);
    expect(report.code).toBe(0);
    html = await fs.readFile(out, 'utf8');
  });
  afterAll(() => tree.remove());

  it("writes one page with every node's results: Table 1, curves, pictures, the filter report, the UMAP", () => {
    for (const id of NODES) expect(html).toContain(`<section class="node" id="${nodeAnchor(id)}"><h3><code>${id}</code>`);
    expect(html.match(/<span class="badge done">results in the cache<\/span>/g)).toHaveLength(1 + NODES.length * 2);
    expect(html).toContain('<table class="table1">');
    expect(html).toMatch(/U-Net on CAMUSx: Dice endo 0\.\d{3} \(paper 0\.919\)/);
    expect(html.match(/<h4>Training curves<\/h4>/g)).toHaveLength(2);
    expect(html).toContain('<code>samples/epoch-012.png</code>');
    expect(html).toContain('<code>preview.png</code>');
    expect(html).toContain('<h4>Degenerate-mask filter</h4>');
    expect(html).toContain('<h4>UMAP of masks</h4>');
    expect(html).toMatch(/camusx vs camus: precision \d\.\d\d, recall \d\.\d\d, density \d\.\d\d, coverage \d\.\d\d/);
    expect(html).toContain('<canvas class="umap3d"');
  });

  it('says "not run yet" for an experiment whose cache is empty, and exits 0', async () => {
    const emptyOut = tree.path('empty.html');
    const report = runCli(['report', file, '--cache', tree.path('empty-cache'), '--out', emptyOut]);
    expect(report.stdout).toBe(`report: ${emptyOut} (0 of 7 nodes with results)\n`);
    expect(report.code).toBe(0);
    const text = await fs.readFile(emptyOut, 'utf8');
    expect(text.match(/<span class="badge missing">not run yet<\/span>/g)).toHaveLength(1 + NODES.length * 2);
    expect(text).toContain('<strong>Not run yet:</strong> no node of this experiment has written <code>table1.csv</code>');
  });

  it('refuses a missing experiment argument with a usage error', () => {
    const report = runCli(['report']);
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('error: report: missing <experiment.yaml> (the experiment file)');
  });

  // Needs Debian's chromium; skipped without it unless CARDIGAN_STRICT_TOOLS=1.
  describeWith('chromium')('in a real browser (headless Chromium)', () => {
    let browser: Browser;
    let visit: PageVisit;
    beforeAll(async () => {
      browser = await Browser.launch();
      visit = await browser.open(out);
    });
    afterAll(() => browser.close());

    it('loads with no console error and requests nothing but the page itself', () => {
      expect(visit.problems).toEqual([]);
      expect(visit.requests).toEqual([`file://${out}`]);
    });

    it('shows Table 1 and every picture (each one decoded, none broken)', async () => {
      const { page } = visit;
      const rows = await page.locator('#table1 table.table1 tbody tr').count();
      expect(rows).toBe(2 * 4 + 1);
      await expect(page.locator('#table1 table.table1').textContent()).resolves.toContain('CAMUSx');
      const images = (await page.evaluate('Array.from(document.images, (img) => ({ alt: img.alt, ok: img.complete && img.naturalWidth > 0 }))')) as {
        alt: string;
        ok: boolean;
      }[];
      expect(images.length).toBeGreaterThanOrEqual(15);
      expect(images.filter((img) => !img.ok)).toEqual([]);
      expect(images.length).toBe((html.match(/<img /g) ?? []).length);
    });

    it('shows the clinical indices after Table 1: r, bias, SD, limits and MAE per model and index, and decoded Bland–Altman and identity plots', async () => {
      const { page } = visit;
      await expect(page.locator('#clinical table.clinical tbody tr').count()).resolves.toBe(2 * 3);
      const text = await page.locator('#clinical').textContent();
      expect(text).toContain('Limits of agreement');
      expect(text).toContain('patient0007 (ground truth): no 4CH ES image');
      const charts = (await page.evaluate(
        "Array.from(document.querySelectorAll('#clinical img'), (img) => ({ alt: img.alt, ok: img.complete && img.naturalWidth > 0 }))",
      )) as { alt: string; ok: boolean }[];
      expect(charts.map((c) => c.alt.split(' for ')[0].split(' of ')[0])).toEqual([
        'Bland–Altman plots',
        'EDV, ESV and EF',
        'Bland–Altman plots',
        'EDV, ESV and EF',
      ]);
      expect(charts.every((c) => c.ok)).toBe(true);
    });

    it('draws the 3-D UMAP and turns it when dragged', async () => {
      const { page } = visit;
      const canvas = page.locator('canvas.umap3d');
      await canvas.scrollIntoViewIfNeeded();
      await expect(canvas.getAttribute('data-ready')).resolves.toBe('true');
      const pixels = async (): Promise<string> => (await page.evaluate("document.querySelector('canvas.umap3d').toDataURL()")) as string;
      const before = await pixels();
      const box = await canvas.boundingBox();
      if (box === null) throw new Error('the 3-D canvas is not displayed');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 30, { steps: 5 });
      await page.mouse.up();
      const after = await pixels();
      const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
      expect(digest(after)).not.toBe(digest(before));
      expect(visit.problems).toEqual([]);
    });

    it('jumps from a node of the graph to its section', async () => {
      const { page } = visit;
      await page.locator(`#graph a[href="#${nodeAnchor('gap')}"]`).click();
      await expect(page.evaluate('window.location.hash')).resolves.toBe(`#${nodeAnchor('gap')}`);
    });

    it('takes a screenshot of the top of the report, down to the end of the graph', async () => {
      const { page } = visit;
      await page.evaluate('window.scrollTo(0, 0)');
      const graph = await page.locator('#graph').boundingBox();
      if (graph === null) throw new Error('the graph is not displayed');
      const shot = await page.screenshot({ fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(graph.y + graph.height + 16) } });
      expect(shot.length).toBeGreaterThan(50_000);
      const target = process.env.CARDIGAN_README_SCREENSHOT === '1' ? README_SCREENSHOT : path.join(os.tmpdir(), 'cardigan-report.png');
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, shot);
    });
  });
});
