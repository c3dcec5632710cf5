import { parse } from 'csv-parse/sync';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../engine';
import type { InputArtifact } from '../../engine/node-api';
import { MANIFEST_FILE, writeDataset } from '../../nodes/data/dataset-artifact';
import type { EvaluationSummary } from '../../nodes/evaluate/summary';
import { readTestSet } from '../../nodes/evaluate/test-set';
import { node as evaluate, type EvaluateParams } from '../../nodes/types/evaluate/node';
import { useBackend } from '../models/backend';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { CLINICAL_SIZE, clinicalHearts } from './clinical-hearts';
import { saveIntensityUNet } from './intensity-unet';

/**
 * A test item without pixel spacing (the issue: "spacing missing gets a clear line in the node's log
 * and a listed exclusion, never a crash or a silent NaN"): two complete patients of clinical-hearts.ts,
 * patient0001's 2CH ED lacking `spacing` in the manifest. It is scored for Dice, left out of the
 * distances (counted as such, not as an empty structure) and of the clinical indices, and said so in
 * the log, summary.json, per-image.csv, clinical.csv and table1.md.
 */

beforeAll(() => useBackend('wasm'));

const PARAMS: EvaluateParams = { protocol: 'segmentation', resolution: 'model', rows: {}, hausdorff: 'max', clinical: true, batchSize: 4, examples: 1 };
const MISSING = 'patient0001_2CH_ED';
let ctx: TestContext;
let test: InputArtifact;
let summary: EvaluationSummary;
let perImage: Record<string, string>[];
let clinical: Record<string, string>[];
let table: string;

function artifact(dir: string, type: InputArtifact['type'], nodeId: string, port: string): InputArtifact {
  return { dir, hash: nodeId, type, from: `${nodeId}.${port}`, nodeId };
}

/** Rewrites one item's `spacing` in manifest.json as a file from elsewhere would have it (undefined: no field). */
async function setSpacing(dir: string, id: string, spacing: unknown): Promise<void> {
  const file = path.join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as { items: Record<string, unknown>[] };
  const item = manifest.items.find((i) => i.id === id);
  if (item === undefined) throw new Error(`no item ${id}`);
  if (spacing === undefined) delete item.spacing;
  else item.spacing = spacing;
  await fs.writeFile(file, JSON.stringify(manifest, null, 1) + '\n');
}

beforeAll(async () => {
  ctx = await makeTestContext({ nodeId: 'table1' });
  const data = clinicalHearts();
  const keep = data.manifest.items.map((item, i) => ({ item, i })).filter(({ item }) => item.patient === 'patient0001' || item.patient === 'patient0002');
  const pixels = CLINICAL_SIZE * CLINICAL_SIZE;
  const pick = <T extends Uint8Array | Float32Array>(all: T, make: (n: number) => T): T => {
    const out = make(keep.length * pixels);
    keep.forEach(({ i }, k) => out.set(all.subarray(i * pixels, (i + 1) * pixels), k * pixels));
    return out;
  };
  test = artifact(path.join(ctx.root, 'test'), 'dataset', 'camus', 'test');
  await writeDataset(test.dir, {
    manifest: { ...data.manifest, items: keep.map(({ item }) => item) },
    images: pick(data.images, (n) => new Float32Array(n)),
    masks: pick(data.masks, (n) => new Uint8Array(n)),
  });
  await setSpacing(test.dir, MISSING, undefined);
  const unet = artifact(path.join(ctx.root, 'unet'), 'model', 'unet[train=camus]', 'model');
  await saveIntensityUNet(unet.dir, [CLINICAL_SIZE, CLINICAL_SIZE]);
  await evaluate.run(ctx, { models: [unet], test }, PARAMS);
  const out = path.join(ctx.root, 'out', 'metrics');
  summary = JSON.parse(await fs.readFile(path.join(out, 'summary.json'), 'utf8')) as EvaluationSummary;
  perImage = parse(await fs.readFile(path.join(out, 'per-image.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  clinical = parse(await fs.readFile(path.join(out, 'clinical.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  table = await fs.readFile(path.join(out, 'table1.md'), 'utf8');
}, 60_000);

afterAll(async () => {
  await fs.rm(ctx.root, { recursive: true, force: true });
});

describe('evaluate: a test item without pixel spacing', () => {
  it('says so in one log line and lists it in summary.json and table1.md', () => {
    expect(ctx.logLines).toContain(
      'patient0001_2CH_ED (patient0001): no pixel spacing; scored for Dice only, left out of HD, ASSD, HD95 and MAD and the clinical indices',
    );
    expect(ctx.logLines.filter((l) => l.includes('no pixel spacing;'))).toHaveLength(1);
    expect(summary.exclusions).toEqual([
      { item: MISSING, patient: 'patient0001', reason: 'no pixel spacing', leftOutOf: ['hd', 'assd', 'hd95', 'mad', 'clinical'] },
    ]);
    expect(table).toContain('- patient0001_2CH_ED (patient0001): no pixel spacing; left out of hd, assd, hd95, mad, clinical (Dice and Valid include it).');
  });

  it('scores its Dice and leaves it out of every distance, counted apart from empty structures', () => {
    const row = perImage.find((r) => r.item === MISSING);
    // The intensity U-Net predicts the mask exactly: Dice 1; no spacing, so no distance.
    expect(Number(row?.endo_dice)).toBe(1);
    expect([row?.spacing_row, row?.spacing_col, row?.endo_hd, row?.epi_assd, row?.la_hd95, row?.endo_mad]).toEqual(['', '', '', '', '', '']);
    const all = summary.models[0].groups.all;
    expect(all?.images).toBe(8);
    for (const structure of ['endo', 'epi', 'la'] as const) {
      const metrics = all?.metrics[structure];
      expect(metrics?.dice).toEqual({ mean: 1, std: 0, n: 8, nan: 0 });
      for (const metric of ['hd', 'assd', 'hd95', 'mad'] as const) {
        expect(metrics?.[metric]).toMatchObject({ n: 7, nan: 0, noSpacing: 1 });
        expect(Number.isFinite(metrics?.[metric].mean)).toBe(true);
      }
    }
    // Only the groups holding the item count it.
    expect(summary.models[0].groups.ES?.metrics.endo.hd).not.toHaveProperty('noSpacing');
  });

  it('leaves its patient out of the clinical indices with the reason, in summary.json, clinical.csv, table1.md and the log', () => {
    expect(summary.clinical?.patients).toBe(2);
    expect(summary.clinical?.reference.patients).toBe(1);
    expect(summary.clinical?.reference.excluded).toEqual([{ patient: 'patient0001', reason: 'no pixel spacing' }]);
    expect(summary.clinical?.models[0]).toMatchObject({ patients: 1, excluded: [] });
    expect(clinical.filter((l) => l.excluded !== '').map((l) => `${l.model} ${l.patient} ${l.excluded}`)).toEqual([
      'ground-truth patient0001 no pixel spacing',
      'unet[train=camus] patient0001 no pixel spacing',
    ]);
    expect(table).toContain('- Left out (ground truth): patient0001: no pixel spacing.');
    expect(ctx.logLines).toContain('clinical indices: patient0001 left out (ground truth): no pixel spacing');
  });
});

describe('reading a test set: what counts as no pixel spacing', () => {
  it('null and non-positive numbers, like an absent field; anything malformed is still an error', async () => {
    await setSpacing(test.dir, MISSING, null);
    await setSpacing(test.dir, 'patient0002_4CH_ES', [0, 0.5]);
    const read = await readTestSet(test, 'segmentation', 'model');
    expect(read.grids.map((g) => g.spacing === null)).toEqual(
      read.dataset.manifest.items.map((item) => item.id === MISSING || item.id === 'patient0002_4CH_ES'),
    );
    await setSpacing(test.dir, MISSING, [0.5, 'mm']);
    await expect(readTestSet(test, 'segmentation', 'model')).rejects.toThrow(UserError);
  });
});
