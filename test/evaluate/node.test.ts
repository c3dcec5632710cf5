import { parse } from 'csv-parse/sync';
import { promises as fs } from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import type { InputArtifact } from '../../engine/node-api';
import { isAnatomicallyValid } from '../../nodes/anatomy/validity';
import { computeReport } from '../../nodes/commands/metrics';
import { writeDataset } from '../../nodes/data/dataset-artifact';
import { meanStd } from '../../nodes/evaluate/aggregate';
import { node as evaluate, type EvaluateParams } from '../../nodes/types/evaluate/node';
import type { EvaluationSummary } from '../../nodes/evaluate/summary';
import { wilcoxonSignedRank } from '../../nodes/evaluate/wilcoxon';
import { readLabelMap } from '../../nodes/masks/mask-files';
import { segmentationMetrics, STRUCTURE_NAMES, type SegmentationMetrics } from '../../nodes/metrics/segmentation-metrics';
import { ENet, ENET_DEFAULTS } from '../../nodes/segmentation/enet';
import { saveModel } from '../../nodes/nn/model-file';
import { predict } from '../../nodes/segmentation/predict';
import { useBackend } from '../models/backend';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { saveIntensityUNet } from './intensity-unet';
import { NATIVE, NATIVE_SPACING, SIZE, STORED_SPACING, threeHearts } from './three-hearts';

/**
 * The evaluate node end to end on three images whose U-Net predictions are known (intensity-unet.ts)
 * and an ENet with random weights whose predictions come from the models' own `predict`: every
 * number must equal `segmentationMetrics` computed directly, and every saved file must let
 * `cardigan metrics` recompute it.
 */

beforeAll(() => useBackend('wasm'));

const PARAMS: EvaluateParams = { protocol: 'segmentation', resolution: 'model', rows: {}, hausdorff: 'max', clinical: true, batchSize: 2, examples: 4 };
const known = threeHearts();
let root: string;
let test: InputArtifact;
let unet: InputArtifact;
let enet: InputArtifact;

function artifact(dir: string, type: InputArtifact['type'], nodeId: string, port: string): InputArtifact {
  return { dir, hash: nodeId, type, from: `${nodeId}.${port}`, nodeId };
}

beforeAll(async () => {
  const ctx = await makeTestContext();
  root = ctx.root;
  test = artifact(path.join(root, 'test'), 'dataset', 'camus', 'test');
  await writeDataset(test.dir, known.dataset);
  unet = artifact(path.join(root, 'unet'), 'model', 'unet[train=camus]', 'model');
  await saveIntensityUNet(unet.dir, [SIZE, SIZE]);
  enet = artifact(path.join(root, 'enet'), 'model', 'enet[train=camuspp]', 'model');
  const model = new ENet({ inChannels: 1, classes: 4, ...ENET_DEFAULTS, initChannels: 8, seed: 3 });
  await saveModel(enet.dir, model, { inputSize: [SIZE, SIZE] });
  model.dispose();
});

const contexts: TestContext[] = [];

afterAll(async () => {
  for (const dir of [root, ...contexts.map((c) => c.root)]) await fs.rm(dir, { recursive: true, force: true });
});

async function run(params: Partial<EvaluateParams>, models: InputArtifact[] = [unet, enet], testSet: InputArtifact = test): Promise<TestContext> {
  const ctx = await makeTestContext({ nodeId: 'table1' });
  contexts.push(ctx);
  await evaluate.run(ctx, { models, test: testSet }, { ...PARAMS, ...params });
  return ctx;
}

function out(ctx: TestContext, file: string): string {
  return path.join(ctx.root, 'out', 'metrics', file);
}

type CsvRow = Record<string, string>;

async function perImage(ctx: TestContext): Promise<CsvRow[]> {
  const text = await fs.readFile(out(ctx, 'per-image.csv'), 'utf8');
  expect(text).not.toContain('"');
  const [header, ...lines] = text
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
  return lines.map((fields) => Object.fromEntries(header.map((name, i) => [name, fields[i]])));
}

function metricsOf(row: CsvRow): SegmentationMetrics {
  const value = (text: string): number => (text === '' ? NaN : Number(text));
  return Object.fromEntries(
    STRUCTURE_NAMES.map((s) => [
      s,
      { dice: value(row[`${s}_dice`]), hd: value(row[`${s}_hd`]), assd: value(row[`${s}_assd`]), hd95: value(row[`${s}_hd95`]), mad: value(row[`${s}_mad`]) },
    ]),
  ) as SegmentationMetrics;
}

async function summaryOf(ctx: TestContext): Promise<EvaluationSummary> {
  return JSON.parse(await fs.readFile(out(ctx, 'summary.json'), 'utf8')) as EvaluationSummary;
}

describe('evaluate at the model resolution', () => {
  let ctx: TestContext;
  let rows: CsvRow[];
  let enetPredictions: Uint8Array;

  beforeAll(async () => {
    ctx = await run({});
    rows = await perImage(ctx);
    enetPredictions = await predict(enet.dir, { data: known.dataset.images, count: 3, size: [SIZE, SIZE] });
  });

  it('scores every image of every model exactly as segmentationMetrics does', () => {
    expect(rows.map((r) => `${r.model} ${r.item} ${r.phase}`)).toEqual([
      'unet[train=camus] patient0001_4CH_ED ED',
      'unet[train=camus] patient0002_4CH_ES ES',
      'unet[train=camus] patient0003_4CH_ES ES',
      'enet[train=camuspp] patient0001_4CH_ED ED',
      'enet[train=camuspp] patient0002_4CH_ES ES',
      'enet[train=camuspp] patient0003_4CH_ES ES',
    ]);
    rows.forEach((row, n) => {
      const i = n % 3;
      const predicted = n < 3 ? known.predictions[i] : enetPredictions.subarray(i * SIZE * SIZE, (i + 1) * SIZE * SIZE);
      expect(metricsOf(row)).toEqual(segmentationMetrics(predicted, known.groundTruths[i], SIZE, SIZE, STORED_SPACING));
      expect([row.rows, row.cols, row.spacing_row, row.spacing_col].map(Number)).toEqual([SIZE, SIZE, ...STORED_SPACING]);
      expect(row.valid).toBe(isAnatomicallyValid(predicted, SIZE, SIZE).valid ? '1' : '0');
    });
    // The known predictions: 2 rows (0.6 mm) down; no LA; no LV (so no endo distances).
    expect(metricsOf(rows[0]).endo.hd).toBeCloseTo(0.6, 12);
    expect(metricsOf(rows[1]).la).toEqual({ dice: 0, hd: NaN, assd: NaN, hd95: NaN, mad: NaN });
    expect(metricsOf(rows[2]).endo).toEqual({ dice: 0, hd: NaN, assd: NaN, hd95: NaN, mad: NaN });
    expect([rows[1].anatomy_failures, rows[2].anatomy_failures].every((f) => f.includes('structures-present'))).toBe(true);
  });

  it('saves each prediction and ground truth so that `cardigan metrics` recomputes the line', async () => {
    for (const row of rows) {
      const [prediction, groundTruth] = await Promise.all([readLabelMap(out(ctx, row.prediction)), readLabelMap(out(ctx, row.ground_truth))]);
      const report = computeReport(prediction, groundTruth, {
        pred: row.prediction,
        gt: row.ground_truth,
        spacing: [Number(row.spacing_row), Number(row.spacing_col)],
      });
      const { spacing: _spacing, ...recomputed } = report;
      expect(recomputed).toEqual(metricsOf(row));
    }
    expect(rows[0].prediction).toBe('predictions/unet[train=camus]/patient0001_4CH_ED.png');
    expect((await readLabelMap(out(ctx, rows[0].prediction))).data).toEqual(known.predictions[0]);
    expect((await readLabelMap(out(ctx, rows[0].ground_truth))).data).toEqual(known.groundTruths[0]);
  });

  it('summarises each model by phase with NaN counts, labelled from its id and class with the paper beside it', async () => {
    const summary = await summaryOf(ctx);
    expect(summary.resolution).toBe('model');
    expect(summary.models.map((m) => [m.id, m.dataset, m.model, m.paper?.dataset, m.paper?.model])).toEqual([
      ['unet[train=camus]', 'CAMUS', 'U-Net', 'CAMUS', 'U-Net'],
      ['enet[train=camuspp]', 'CAMUS++', 'ENet', 'CAMUS++', 'ENet'],
    ]);
    const groups = summary.models[0].groups;
    expect([groups.all?.images, groups.ED?.images, groups.ES?.images]).toEqual([3, 1, 2]);
    const endoHd = rows.slice(0, 3).map((r) => metricsOf(r).endo.hd);
    expect(groups.all?.metrics.endo.hd).toEqual(meanStd(endoHd));
    expect(groups.all?.metrics.endo.hd.nan).toBe(1);
    expect(groups.ES?.metrics.la.hd.nan).toBe(1);
    expect(groups.all?.valid.count).toBe(rows.slice(0, 3).filter((r) => r.valid === '1').length);
  });

  it('writes Table 1 with our numbers, the paper line and the empty-structure note', async () => {
    const table = await fs.readFile(out(ctx, 'table1.md'), 'utf8');
    const dice = meanStd(rows.slice(0, 3).map((r) => metricsOf(r).endo.dice));
    expect(table).toContain(`| CAMUS | U-Net | ED | 1 | ${metricsOf(rows[0]).endo.dice.toFixed(3)} ± 0.000 |`);
    expect(table).toContain(`|  |  | all | 3 | ${dice.mean?.toFixed(3)} ± ${dice.std?.toFixed(3)} |`);
    expect(table).toContain('|  |  | *paper* |  | 0.937 | 0.957 |  | 5.0 | 5.4 |  | 1.4 | 1.5 |  |  |  |  |  |');
    expect(table).toContain(
      'unet[train=camus]: the distances leave out images where the structure is empty in the prediction or the ground truth (endo 1, la 1 of 3).',
    );
    expect(await fs.readFile(out(ctx, 'table1.csv'), 'utf8')).toContain(
      'CAMUS++,ENet,enet[train=camuspp],paper,,,0.932,,0.95,,,,4.8,,5.7,,,,1.4,,1.8,,,,,,,,,,,,,\n',
    );
  });

  it('draws image | ground truth | each model for every example', async () => {
    const both = PNG.sync.read(await fs.readFile(out(ctx, 'examples.png')));
    const one = await run({ examples: 1 }, [unet]);
    const single = PNG.sync.read(await fs.readFile(out(one, 'examples.png')));
    // One column fewer (one model) and two rows fewer (one example instead of all three).
    expect(single.width).toBeLessThan(both.width);
    expect(single.height).toBeLessThan(both.height);
    const none = await run({ examples: 0 }, [unet]);
    await expect(fs.access(out(none, 'examples.png'))).rejects.toThrow();
  });
});

describe('evaluate at the native resolution', () => {
  let ctx: TestContext;
  let rows: CsvRow[];

  beforeAll(async () => {
    ctx = await run({ resolution: 'native' }, [unet]);
    rows = await perImage(ctx);
  });

  it('computes the metrics on each native grid with the native spacing, on the saved label maps', async () => {
    for (const row of rows) {
      expect([row.rows, row.cols, row.spacing_row, row.spacing_col].map(Number)).toEqual([...NATIVE, ...NATIVE_SPACING]);
      const [prediction, groundTruth] = await Promise.all([readLabelMap(out(ctx, row.prediction)), readLabelMap(out(ctx, row.ground_truth))]);
      expect([prediction.height, prediction.width, groundTruth.height, groundTruth.width]).toEqual([...NATIVE, ...NATIVE]);
      expect(metricsOf(row)).toEqual(segmentationMetrics(prediction.data, groundTruth.data, NATIVE[0], NATIVE[1], NATIVE_SPACING));
    }
  });

  it('gives the known native distances: a shape moved by 2 stored rows is 6 native rows (0.6 mm) off', () => {
    // Resampling treats the prediction and its translate alike, so the surfaces stay translates.
    expect(metricsOf(rows[0]).endo.hd).toBeCloseTo(0.6, 9);
    expect(metricsOf(rows[0]).epi.hd).toBeCloseTo(0.6, 9);
    // The LV that matches the ground truth still matches it after both are resampled.
    expect(metricsOf(rows[1]).endo).toEqual({ dice: 1, hd: 0, assd: 0, hd95: 0, mad: 0 });
    expect(metricsOf(rows[2]).endo.hd).toBeNaN();
  });
});

describe('evaluate under the SPADE protocol', () => {
  it('scores generated images against their conditioning masks at the stored size, with mIoU and pixel accuracy', async () => {
    const generated = artifact(path.join(root, 'generated'), 'dataset', 'camusx', 'dataset');
    await writeDataset(generated.dir, threeHearts('generated').dataset);
    const ctx = await run({ protocol: 'spade', resolution: 'native' }, [unet], generated);
    const summary = await summaryOf(ctx);
    expect(summary.resolution).toBe('model');
    expect(summary.models[0].paper).toBeNull();
    const rows = await perImage(ctx);
    rows.forEach((row, i) => expect(metricsOf(row)).toEqual(segmentationMetrics(known.predictions[i], known.groundTruths[i], SIZE, SIZE, STORED_SPACING)));
    const table = await fs.readFile(out(ctx, 'table1.md'), 'utf8');
    expect(table.split('\n')[0]).toBe(
      '# SPADE protocol: 3 generated images of camusx.dataset segmented by models trained on real images and scored against the masks they were generated from, at the stored 32×32',
    );
    expect(table).toContain('| mIoU | Pixel acc. |');
    expect(table).not.toContain('*paper*');
  });

  it('refuses a test set of real images', async () => {
    await expect(run({ protocol: 'spade' }, [unet])).rejects.toThrow(
      'protocol "spade" scores generated images against the masks they were generated from, but 3 of 3 items of input "test" (camus.test) are not generated (e.g. patient0001_4CH_ED, source real); use protocol "segmentation" for a test set of real images',
    );
  });
});

describe('evaluate over seeds', () => {
  // Two seeds of a CAMUS U-Net (the known predictions) and two of a "CAMUS++" row (the random ENet, named U-Net by rows).
  const seeded = (model: InputArtifact, id: string): InputArtifact => ({ ...model, nodeId: id, hash: id });
  const rows = { 'enet[train=camuspp,seed=1]': { dataset: 'CAMUS++', model: 'U-Net' }, 'enet[train=camuspp,seed=2]': { dataset: 'CAMUS++', model: 'U-Net' } };
  let ctx: TestContext;
  let summary: EvaluationSummary;

  beforeAll(async () => {
    const models = [
      seeded(unet, 'unet[train=camus,seed=1]'),
      seeded(unet, 'unet[train=camus,seed=2]'),
      seeded(enet, 'enet[train=camuspp,seed=1]'),
      seeded(enet, 'enet[train=camuspp,seed=2]'),
    ];
    ctx = await run({ rows }, models);
    summary = await summaryOf(ctx);
  });

  it('makes one Table 1 row per model over its seeds', async () => {
    expect(summary.models.map((m) => [m.dataset, m.model, m.seed])).toEqual([
      ['CAMUS', 'U-Net', '1'],
      ['CAMUS', 'U-Net', '2'],
      ['CAMUS++', 'U-Net', '1'],
      ['CAMUS++', 'U-Net', '2'],
    ]);
    expect(summary.seedRows?.map((r) => [r.dataset, r.ids, r.seeds])).toEqual([
      ['CAMUS', ['unet[train=camus,seed=1]', 'unet[train=camus,seed=2]'], ['1', '2']],
      ['CAMUS++', ['enet[train=camuspp,seed=1]', 'enet[train=camuspp,seed=2]'], ['1', '2']],
    ]);
    // Identical seeds: the mean is theirs and the spread between seeds is zero.
    const endo = summary.seedRows?.[0].groups.all?.metrics.epi.dice;
    expect(endo).toEqual({ mean: summary.models[0].groups.all?.metrics.epi.dice.mean, std: 0, seeds: 2 });
    const table = await fs.readFile(out(ctx, 'table1.md'), 'utf8');
    expect(table).toContain('| Dataset | Model | Phase / view | Images | Seeds |');
    expect(table).toMatch(/\| CAMUS\+\+ \| U-Net \| ED \| 1 \| 2 \| /);
  });

  it('tests CAMUS++ against CAMUS image by image (Wilcoxon on the per-image values of per-image.csv) and writes them', async () => {
    const tests = summary.pairedTests ?? [];
    expect(tests.map((t) => `${t.dataset} ${t.structure} ${t.metric}`)).toContain('CAMUS++ epi dice');
    expect(tests.every((t) => t.model === 'U-Net' && t.baseline === 'CAMUS' && t.seeds.baseline === 2 && t.seeds.dataset === 2)).toBe(true);
    // Matrix ids with two keys hold a comma: read the CSV with a real parser.
    const csv = parse(await fs.readFile(out(ctx, 'per-image.csv'), 'utf8'), { columns: true }) as CsvRow[];
    const values = (model: string) => csv.filter((r) => r.model === model).map((r) => Number(r.epi_dice));
    const expected = wilcoxonSignedRank(values('enet[train=camuspp,seed=1]'), values('unet[train=camus,seed=1]'));
    const epiDice = tests.find((t) => t.structure === 'epi' && t.metric === 'dice');
    expect(epiDice).toMatchObject({
      images: 3,
      n: expected.n,
      statistic: expected.statistic,
      pValue: expected.pValue,
      medianDifference: expected.medianDifference,
    });
    expect(await fs.readFile(out(ctx, 'paired-tests.md'), 'utf8')).toContain('| U-Net | CAMUS++ | CAMUS | epi | Dice | 2 / 2 | 3 |');
    expect((await fs.readFile(out(ctx, 'paired-tests.csv'), 'utf8')).split('\n')[0]).toBe(
      'model,dataset,baseline,structure,metric,seeds_dataset,seeds_baseline,images,dropped,n,zeros,mean_dataset,mean_baseline,median_difference,statistic,p_value,method',
    );
  });
});

describe('evaluate refuses', () => {
  it('a test set at another size than the models were trained at', async () => {
    const big = artifact(path.join(root, 'big-model'), 'model', 'unet[train=big]', 'model');
    await saveIntensityUNet(big.dir, [64, 64]);
    await expect(run({}, [big])).rejects.toThrow(
      'unet[train=big] was trained on 64×64 images but the test set (camus.test) is 32×32; load the test set at the size the models were trained at',
    );
  });

  it('a rows entry that names no model, with a suggestion', async () => {
    await expect(run({ rows: { 'unet[train=camu]': { dataset: 'CAMUS', model: 'U-Net' } } })).rejects.toThrow(
      'params.rows: "unet[train=camu]" is not one of the evaluated models — did you mean "unet[train=camus]"? (models: unet[train=camus], enet[train=camuspp])',
    );
  });

  it('no models at all', async () => {
    await expect(run({}, [])).rejects.toThrow('table1: input "models" is empty; connect at least one segmentation model (e.g. models: [unet, enet])');
  });
});
