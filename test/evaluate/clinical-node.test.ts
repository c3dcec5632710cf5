import { parse } from 'csv-parse/sync';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { InputArtifact } from '../../engine/node-api';
import { cardigan } from '../../nodes/cardigan';
import { writeDataset } from '../../nodes/data/dataset-artifact';
import type { EvaluationSummary } from '../../nodes/evaluate/summary';
import { node as evaluate, type EvaluateParams } from '../../nodes/types/evaluate/node';
import { useBackend } from '../models/backend';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { CLINICAL_SIZE, clinicalHearts, knownVolumes } from './clinical-hearts';
import { saveIntensityUNet } from './intensity-unet';

/**
 * The evaluate node's clinical indices end to end on half-ellipse hearts (clinical-hearts.ts): the
 * ground truth's volumes are the closed-form ones, a model that predicts the ground truth agrees
 * with it exactly, and every patient that cannot be measured is in the log, clinical.csv,
 * summary.json and table1.md with its reason.
 */

beforeAll(() => useBackend('wasm'));

const PARAMS: EvaluateParams = { protocol: 'segmentation', resolution: 'model', rows: {}, hausdorff: 'max', clinical: true, batchSize: 4, examples: 0 };
let ctx: TestContext;
let summary: EvaluationSummary;
let csv: Record<string, string>[];
let table: string;

function artifact(dir: string, type: InputArtifact['type'], nodeId: string, port: string): InputArtifact {
  return { dir, hash: nodeId, type, from: `${nodeId}.${port}`, nodeId };
}

beforeAll(async () => {
  ctx = await makeTestContext({ nodeId: 'table1' });
  const test = artifact(path.join(ctx.root, 'test'), 'dataset', 'camus', 'test');
  await writeDataset(test.dir, clinicalHearts());
  const unet = artifact(path.join(ctx.root, 'unet'), 'model', 'unet[train=camus]', 'model');
  await saveIntensityUNet(unet.dir, [CLINICAL_SIZE, CLINICAL_SIZE]);
  await evaluate.run(ctx, { models: [unet], test }, PARAMS);
  const out = path.join(ctx.root, 'out', 'metrics');
  summary = JSON.parse(await fs.readFile(path.join(out, 'summary.json'), 'utf8')) as EvaluationSummary;
  csv = parse(await fs.readFile(path.join(out, 'clinical.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
  table = await fs.readFile(path.join(out, 'table1.md'), 'utf8');
}, 60_000);

afterAll(async () => {
  await fs.rm(ctx.root, { recursive: true, force: true });
});

describe('evaluate: clinical indices', () => {
  it('measures the ground truth close to the closed-form volumes (1.5 mm pixels)', () => {
    for (const k of [0, 1, 4, 5]) {
      const line = csv.find((l) => l.model === 'ground-truth' && l.patient === `patient000${k + 1}`);
      const { edv, esv } = knownVolumes(k);
      expect(Math.abs(Number(line?.edv_ml) - edv) / edv).toBeLessThan(0.05);
      expect(Math.abs(Number(line?.esv_ml) - esv) / esv).toBeLessThan(0.08);
      expect(Number(line?.ef_percent)).toBeCloseTo((100 * (Number(line?.edv_ml) - Number(line?.esv_ml))) / Number(line?.edv_ml), 9);
    }
  });

  it('gives a model that predicts the ground truth r = 1, no bias and no error, over the patients both measure', () => {
    const [m] = summary.clinical?.models ?? [];
    expect(m).toMatchObject({ id: 'unet[train=camus]', dataset: 'CAMUS', model: 'U-Net', patients: 3 });
    for (const name of ['edv', 'esv', 'ef'] as const) {
      expect(m.agreement[name].n).toBe(3);
      expect(m.agreement[name].r).toBeCloseTo(1, 9);
      expect(m.agreement[name].bias).toBeCloseTo(0, 9);
      expect(m.agreement[name].mae).toBeCloseTo(0, 9);
    }
  });

  it('lists every patient it cannot measure, with why, in summary.json, clinical.csv, table1.md and the log', () => {
    // Every item has spacing: no exclusions field, no count of images without it.
    expect(summary.exclusions).toBeUndefined();
    expect(summary.models[0].groups.all?.metrics.endo.hd).not.toHaveProperty('noSpacing');
    expect(summary.clinical?.patients).toBe(6);
    expect(summary.clinical?.reference.patients).toBe(4);
    expect(summary.clinical?.reference.excluded).toEqual([
      { patient: 'patient0003', reason: 'no 4CH ES image' },
      { patient: 'patient0004', reason: '4CH ES: no LV in the mask' },
    ]);
    expect(summary.clinical?.models[0].excluded).toEqual([
      { patient: 'patient0005', reason: '2CH ED: the LV does not touch the LA (no mitral base to measure from)' },
    ]);
    expect(csv.filter((l) => l.excluded !== '').map((l) => `${l.model} ${l.patient} ${l.excluded}`)).toEqual([
      'ground-truth patient0003 no 4CH ES image',
      'ground-truth patient0004 4CH ES: no LV in the mask',
      'unet[train=camus] patient0003 no 4CH ES image',
      'unet[train=camus] patient0004 4CH ES: no LV in the mask',
      'unet[train=camus] patient0005 2CH ED: the LV does not touch the LA (no mitral base to measure from)',
    ]);
    expect(csv.filter((l) => l.excluded !== '').every((l) => l.edv_ml === '' && l.ef_percent === '')).toBe(true);
    expect(table).toContain('- Left out (ground truth): patient0003: no 4CH ES image.');
    expect(table).toContain('- Left out for unet[train=camus]: patient0005: 2CH ED: the LV does not touch the LA (no mitral base to measure from).');
    expect(ctx.logLines).toContain('clinical indices: patient0004 left out (ground truth): 4CH ES: no LV in the mask');
    expect(ctx.logLines).toContain('clinical indices: 4 of 6 test patients measured on the ground truth');
  });

  it('writes one clinical table row per index with r, bias, SD, limits of agreement and MAE', () => {
    expect(table).toContain('## Clinical indices: EDV, ESV and EF against the ground truth');
    expect(table).toContain('| Dataset | Model | Index | Patients | r | Bias | SD | Limits of agreement | MAE |');
    expect(table).toMatch(/\| CAMUS \| U-Net \| EDV \(mL\) \| 3 \| 1\.000 \| 0\.0 \| 0\.0 \| 0\.0 to 0\.0 \| 0\.0 \|/);
    expect(table).toMatch(/\| {2}\| {2}\| EF \(%\) \| 3 \| 1\.000 \|/);
  });

  it('puts the ground truth beside each model line of clinical.csv', () => {
    const model = csv.find((l) => l.model === 'unet[train=camus]' && l.patient === 'patient0001');
    const truth = csv.find((l) => l.model === 'ground-truth' && l.patient === 'patient0001');
    expect(model?.reference_edv_ml).toBe(truth?.edv_ml);
    expect(model?.edv_ml).toBe(truth?.edv_ml);
    expect(Number(model?.length_2CH_ED_mm)).toBeGreaterThan(45);
  });
});

describe('cardigan metrics recomputes a line of clinical.csv', () => {
  it('from the saved ground-truth files and their spacing, to the last digit', async () => {
    let output = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    });
    const file = (view: string, phase: string) => path.join(ctx.root, 'out', 'metrics', 'ground-truth', `patient0002_${view}_${phase}.png`);
    try {
      const code = await cardigan([
        'metrics',
        '--2ch-ed',
        file('2CH', 'ED'),
        '--2ch-es',
        file('2CH', 'ES'),
        '--4ch-ed',
        file('4CH', 'ED'),
        '--4ch-es',
        file('4CH', 'ES'),
        '--spacing',
        '1.5,1.5',
        '--json',
      ]);
      expect(code).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const report = JSON.parse(output) as { edv: number; esv: number; ef: number };
    const line = csv.find((l) => l.model === 'ground-truth' && l.patient === 'patient0002');
    expect([String(report.edv), String(report.esv), String(report.ef)]).toEqual([line?.edv_ml, line?.esv_ml, line?.ef_percent]);
  });
});

describe('evaluate: clinical indices skipped', () => {
  it('says so when no patient has both views at both phases, and writes no clinical.csv', async () => {
    const skipped = await makeTestContext({ nodeId: 'table1' });
    try {
      const data = clinicalHearts();
      const keep = data.manifest.items.map((item, i) => ({ item, i })).filter(({ item }) => item.view === '2CH');
      const pixels = CLINICAL_SIZE * CLINICAL_SIZE;
      const pick = <T extends Uint8Array | Float32Array>(all: T, make: (n: number) => T): T => {
        const out = make(keep.length * pixels);
        keep.forEach(({ i }, k) => out.set(all.subarray(i * pixels, (i + 1) * pixels), k * pixels));
        return out;
      };
      const test = artifact(path.join(skipped.root, 'test'), 'dataset', 'camus', 'test');
      await writeDataset(test.dir, {
        manifest: { ...data.manifest, items: keep.map(({ item }) => item) },
        images: pick(data.images, (n) => new Float32Array(n)),
        masks: pick(data.masks, (n) => new Uint8Array(n)),
      });
      const unet = artifact(path.join(skipped.root, 'unet'), 'model', 'unet[train=camus]', 'model');
      await saveIntensityUNet(unet.dir, [CLINICAL_SIZE, CLINICAL_SIZE]);
      await evaluate.run(skipped, { models: [unet], test }, PARAMS);
      expect(skipped.logLines).toContain('clinical indices skipped: no test patient has 2CH and 4CH images at both ED and ES');
      await expect(fs.access(path.join(skipped.root, 'out', 'metrics', 'clinical.csv'))).rejects.toThrow();
    } finally {
      await fs.rm(skipped.root, { recursive: true, force: true });
    }
  }, 60_000);
});
