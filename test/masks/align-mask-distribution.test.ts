import { promises as fs } from 'fs';
import * as path from 'path';
import { node as alignMaskDistribution } from '../../nodes/types/align-mask-distribution/node';
import { readDataset } from '../../nodes/data/dataset-artifact';
import type { StatisticComparison } from '../../nodes/masks/alignment-report';
import { Label } from '../../nodes/data/label-mask';
import { mulberry32 } from '../../nodes/data/random';
import { registerMask } from '../../nodes/masks/registration';
import { makeTestContext } from '../rig/node-context';
import { drawHeart, UPRIGHT_HEART, varyHeart, type HeartShape } from './draw-heart';
import { maskDatasetInput } from './mask-dataset';

const PARAMS = { jitter: 0.5, maxReshape: 2, bins: 20 };

// Reference hearts sit low and tilt right; the masks to align sit high and left, tilt left, and have a
// smaller ventricle over a smaller atrium.
const REFERENCE_POSE: HeartShape = { ...UPRIGHT_HEART, base: [0.64, 0.52], angle: 12, lvLength: 0.36, lvHalfWidth: 0.11, laLength: 0.22, laHalfWidth: 0.13 };
const MASK_POSE: HeartShape = { ...UPRIGHT_HEART, base: [0.48, 0.38], angle: -22, lvLength: 0.29, lvHalfWidth: 0.1, laLength: 0.12, laHalfWidth: 0.1 };
const SPREAD = { base: 0.04, angle: 8, lvLength: 0.03, lvHalfWidth: 0.015, laLength: 0.03, laHalfWidth: 0.015 };

function hearts(count: number, size: number, pose: HeartShape, seed: number) {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => drawHeart(size, size, varyHeart(pose, SPREAD, random)));
}

async function align(masks: ReturnType<typeof hearts>, seed = 3) {
  const ctx = await makeTestContext({ seed });
  const inputs = { masks: await maskDatasetInput(masks, 'sampled'), reference: await maskDatasetInput(hearts(60, 96, REFERENCE_POSE, 1), 'camus') };
  await alignMaskDistribution.run(ctx, inputs, PARAMS);
  const report = JSON.parse(await fs.readFile(path.join(ctx.outputDir('report'), 'alignment.json'), 'utf8')) as { statistics: StatisticComparison[] };
  return { ctx, report };
}

function expectCloser(statistics: StatisticComparison[]): void {
  for (const s of statistics) {
    const [before, after] = [s.before.wasserstein!, s.after.wasserstein!];
    expect({ name: s.name, closer: after < before && s.after.ks! < s.before.ks! }).toEqual({ name: s.name, closer: true });
    if (['centroidRow', 'centroidCol', 'angle'].includes(s.name)) expect({ name: s.name, halved: after <= before / 2 }).toEqual({ name: s.name, halved: true });
  }
}

describe('align-mask-distribution', () => {
  it('brings every statistic closer to the reference, centroid and angle by at least half', async () => {
    const { ctx, report } = await align(hearts(80, 80, MASK_POSE, 2));
    expect(report.statistics).toHaveLength(9);
    expectCloser(report.statistics);

    const aligned = await readDataset(ctx.outputDir('masks'));
    expect(aligned.manifest.size).toEqual([96, 96]);
    expect(aligned.manifest.hasImages).toBe(false);
    expect(aligned.manifest.items).toHaveLength(80);
    expect(aligned.manifest.items[0].source).toBe('artificial-mask');
    expect(String(aligned.manifest.items[0].extra?.poseDonor)).toMatch(/^camus\d+$/);

    const markdown = await fs.readFile(path.join(ctx.outputDir('report'), 'alignment.md'), 'utf8');
    expect(markdown).toMatch(/\| centroidRow \(/);
    // The annex F figure: a titled panel per statistic, one legend naming the three samples, in SVG and PNG.
    const svg = await fs.readFile(path.join(ctx.outputDir('report'), 'histograms.svg'), 'utf8');
    for (const s of report.statistics) expect(svg).toContain(`Title text '${s.name}'`);
    expect(svg).toContain('legend for fill color with 3 values: reference, before alignment, after alignment');
    const png = await fs.readFile(path.join(ctx.outputDir('report'), 'histograms.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThan(png.readUInt32BE(20)); // wider than tall: three panels across
  });

  it('aligns masks given in the registered space as well', async () => {
    const registered = hearts(60, 80, MASK_POSE, 4).map((mask) => registerMask(mask, { size: 64 }).registered);
    const { report } = await align(registered);
    expectCloser(report.statistics);
  });

  it('gives the same masks for the same seed and different ones for another', async () => {
    const masks = hearts(10, 64, MASK_POSE, 5);
    const [a, b, c] = await Promise.all([align(masks, 7), align(masks, 7), align(masks, 8)]);
    const read = async (ctx: typeof a.ctx) => (await readDataset(ctx.outputDir('masks'))).masks;
    expect(Buffer.from(await read(a.ctx)).equals(Buffer.from(await read(b.ctx)))).toBe(true);
    expect(Buffer.from(await read(a.ctx)).equals(Buffer.from(await read(c.ctx)))).toBe(false);
  });

  it('names the mask that has no pose to align', async () => {
    const masks = hearts(3, 64, MASK_POSE, 6);
    masks[1] = { ...masks[1], data: masks[1].data.map((v) => (v === Label.lv ? Label.background : v)) };
    await expect(align(masks)).rejects.toThrow(
      'sampled.masks: mask "sampled1" has no LV, so it has no pose to align; filter the masks first (filter-degenerate-masks)',
    );
  });
});
