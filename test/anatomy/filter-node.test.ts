import Ajv from 'ajv';
import { promises as fs } from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import schema from '../../schemas/nodes/filter-degenerate-masks.schema.json';
import { DEFAULT_THRESHOLDS } from '../../nodes/anatomy/criteria';
import type { FilterReport } from '../../nodes/anatomy/filter-report';
import { readDataset, writeDataset, type Dataset, type DatasetItem } from '../../nodes/data/dataset-artifact';
import { MASK_PALETTE } from '../../nodes/data/montage';
import { node as filterDegenerateMasks, type FilterDegenerateMasksParams } from '../../nodes/types/filter-degenerate-masks/node';
import { testItem } from '../rig/dataset';
import { makeTestContext } from '../rig/node-context';
import { DEFAULT_HEART, drawHeart, paintRect } from '../rig/heart-mask';

const { rows: ROWS, cols: COLS } = DEFAULT_HEART;

/** Params as the engine hands them over: the schema's defaults applied by ajv. */
function defaultParams(overrides: Record<string, unknown> = {}): FilterDegenerateMasksParams {
  const params: Record<string, unknown> = { ...overrides };
  const validate = new Ajv({ useDefaults: true, strict: true }).compile(schema);
  if (!validate(params)) throw new Error(JSON.stringify(validate.errors));
  return params as unknown as FilterDegenerateMasksParams;
}

function item(id: string): DatasetItem {
  return testItem(id, { source: 'artificial-mask', nativeSize: [ROWS, COLS], spacing: [0.3, 0.3], nativeSpacing: [0.3, 0.3] });
}

/** Five masks: three valid (shifted hearts), one with a stray LV piece, one with an LV hole (fails two criteria). */
function makeDataset(withImages: boolean): Dataset {
  const masks = [
    drawHeart(),
    paintRect(drawHeart(), COLS, 5, 6, 5, 6, 1),
    drawHeart({ centerCol: 60 }),
    paintRect(drawHeart(), COLS, 55, 56, 62, 63, 0),
    drawHeart({ apexRow: 18, baseRow: 78 }),
  ];
  const ids = ['valid-a', 'stray-lv', 'valid-b', 'lv-hole', 'valid-c'];
  const all = new Uint8Array(masks.length * ROWS * COLS);
  masks.forEach((mask, i) => all.set(mask, i * ROWS * COLS));
  const images = withImages ? Float32Array.from({ length: all.length }, (_, i) => (i % 251) / 250) : undefined;
  return { manifest: { format: 'cardigan-dataset/1', size: [ROWS, COLS], hasImages: withImages, items: ids.map(item) }, masks: all, images };
}

async function runFilter(dataset: Dataset, params = defaultParams()) {
  const ctx = await makeTestContext({ nodeId: 'filter' });
  const inputDir = path.join(ctx.root, 'input');
  await writeDataset(inputDir, dataset);
  await filterDegenerateMasks.run(ctx, { masks: { dir: inputDir, hash: 'x', type: 'dataset', from: 'sample.masks', nodeId: 'sample' } }, params);
  const reportDir = path.join(ctx.root, 'out', 'report');
  const report = JSON.parse(await fs.readFile(path.join(reportDir, 'report.json'), 'utf8')) as FilterReport;
  return { ctx, kept: await readDataset(path.join(ctx.root, 'out', 'masks')), report, reportDir };
}

describe('filter-degenerate-masks node', () => {
  it('has schema defaults equal to the criteria defaults (vital thresholds)', () => {
    const { examplesPerCriterion, ...thresholds } = defaultParams();
    expect(thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(examplesPerCriterion).toBe(16);
    expect(() => defaultParams({ maxLvMyoWidthRatio: 4, typo: 1 })).toThrow(/additionalProperties/);
  });

  it('keeps the valid masks with their images and manifest entries, in order', async () => {
    const dataset = makeDataset(true);
    const { kept, ctx } = await runFilter(dataset);
    expect(kept.manifest.items.map((i) => i.id)).toEqual(['valid-a', 'valid-b', 'valid-c']);
    expect(kept.manifest.size).toEqual([ROWS, COLS]);
    const pixels = ROWS * COLS;
    for (const [k, original] of [0, 2, 4].entries()) {
      expect(
        Buffer.from(kept.masks.subarray(k * pixels, (k + 1) * pixels)).equals(Buffer.from(dataset.masks.subarray(original * pixels, (original + 1) * pixels))),
      ).toBe(true);
      expect(Array.from(kept.images!.subarray(k * pixels, k * pixels + 5))).toEqual(
        Array.from(dataset.images!.subarray(original * pixels, original * pixels + 5)),
      );
    }
    expect(ctx.progressUpdates.at(-1)).toEqual({ done: 5, total: 5, unit: 'mask' });
    expect(ctx.logLines).toEqual(['kept 3 of 5 masks']);
  });

  it('reports failures per criterion and per item, as JSON and Markdown', async () => {
    const { report, reportDir } = await runFilter(makeDataset(false));
    expect({ total: report.total, kept: report.kept, rejected: report.rejected, acceptanceRate: report.acceptanceRate }).toEqual({
      total: 5,
      kept: 3,
      rejected: 2,
      acceptanceRate: 0.6,
    });
    const failed = Object.fromEntries(report.criteria.map((c) => [c.id, c.failed]));
    expect(failed).toEqual({
      'structures-present': 0,
      'holes-lv': 1,
      'holes-la': 0,
      'holes-epi': 1,
      'single-lv': 1,
      'single-myo': 0,
      'single-la': 0,
      'gap-lv-myo': 0,
      'gap-lv-la': 0,
      'frontier-lv-background': 0,
      'frontier-myo-la': 0,
      'width-ratio-lv-myo': 0,
      'erosion-ratio-myo': 0,
    });
    expect(report.criteria.find((c) => c.id === 'gap-lv-myo')?.threshold).toBe(1);
    expect(report.items.map((i) => [i.id, i.valid, i.failures])).toEqual([
      ['valid-a', true, []],
      ['stray-lv', false, ['single-lv']],
      ['valid-b', true, []],
      ['lv-hole', false, ['holes-lv', 'holes-epi']],
      ['valid-c', true, []],
    ]);
    expect(report.items[1].values['single-lv']).toBe(4);
    const md = await fs.readFile(path.join(reportDir, 'report.md'), 'utf8');
    expect(md).toContain('Kept 3 of 5 masks (60.0 %); rejected 2.');
    expect(md).toContain('| `single-lv`: the LV is one piece (value: pixels outside the largest piece) | ≤ 0 | 1 | 20.0 % | [png](rejected-single-lv.png) |');
    expect(md).toContain('| `erosion-ratio-myo`: erosions before the myocardium splits, over its thickness | ≥ 0.12 | 0 | 0.0 % |  |');
  });

  it('draws a PNG grid of the rejected examples of each failing criterion, in the label palette', async () => {
    const { reportDir } = await runFilter(makeDataset(false));
    const files = (await fs.readdir(reportDir)).sort();
    expect(files).toEqual(['rejected-holes-epi.png', 'rejected-holes-lv.png', 'rejected-single-lv.png', 'report.json', 'report.md']);
    const png = PNG.sync.read(await fs.readFile(path.join(reportDir, 'rejected-single-lv.png')));
    const rgb = (k: number) => Array.from(png.data.subarray(4 * k, 4 * k + 3));
    // One 128×128 tile, drawn pixel for pixel: it starts at the first background-coloured pixel.
    const first = Array.from({ length: png.width * png.height }, (_, k) => k).find((k) => rgb(k).join() === MASK_PALETTE[0].join()) ?? -1;
    const [top, left] = [Math.floor(first / png.width), first % png.width];
    expect(png.width - left).toBeGreaterThanOrEqual(COLS);
    expect(png.height - top).toBeGreaterThan(ROWS); // room for the caption below the tile
    const pixel = (r: number, c: number) => rgb((top + r) * png.width + left + c);
    expect(pixel(5, 5)).toEqual([...MASK_PALETTE[1]]); // the stray LV piece
    expect(pixel(50, 64)).toEqual([...MASK_PALETTE[1]]);
    expect(pixel(50, 42)).toEqual([...MASK_PALETTE[2]]);
    expect(pixel(90, 64)).toEqual([...MASK_PALETTE[3]]);
    expect(pixel(0, 0)).toEqual([...MASK_PALETTE[0]]);
    expect(pixel(ROWS - 1, COLS - 1)).toEqual([...MASK_PALETTE[0]]);
    // Just outside the tile is the montage's background, not a mask colour.
    expect(MASK_PALETTE.map((c) => c.join())).not.toContain(pixel(0, COLS).join());
  });

  it('passes its thresholds on: a laxer width ratio keeps a thin-walled heart', async () => {
    const thin = drawHeart({ myoThickness: 4 });
    const dataset: Dataset = { manifest: { format: 'cardigan-dataset/1', size: [ROWS, COLS], hasImages: false, items: [item('thin')] }, masks: thin };
    expect((await runFilter(dataset)).kept.manifest.items).toHaveLength(0);
    expect((await runFilter(dataset, defaultParams({ maxLvMyoWidthRatio: 5, examplesPerCriterion: 0 }))).kept.manifest.items).toHaveLength(1);
  });
});

describe('filter-degenerate-masks on bad input', () => {
  it('names the input, the item and the pixel of a label outside 0..3', async () => {
    const mask = drawHeart();
    mask[3 * COLS + 7] = 9;
    const dataset: Dataset = { manifest: { format: 'cardigan-dataset/1', size: [ROWS, COLS], hasImages: false, items: [item('odd')] }, masks: mask };
    await expect(runFilter(dataset)).rejects.toThrow(
      /^sample\.masks \(.*input\): mask 0 "odd": anatomy: label 9 at row 3, col 7; labels must be 0 background, 1 LV, 2 myocardium, 3 LA$/,
    );
  });
});
