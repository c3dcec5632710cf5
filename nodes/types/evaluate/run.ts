import { promises as fs } from 'fs';
import * as path from 'path';
import { many, type NodeContext, type NodeInputs, single, UserError } from '../../../engine';
import { isAnatomicallyValid } from '../../anatomy/validity';
import { encodeGrayPng } from '../../data/png';
import { viewDiscs } from '../../clinical/simpson';
import { summariseModel, GROUP_NAMES, inGroup } from '../../evaluate/aggregate';
import { clinicalEvaluation, completePatients } from '../../evaluate/clinical';
import { evaluateModel, toPosix, type ModelEvaluation } from '../../evaluate/evaluate-model';
import type { ImageScore } from '../../evaluate/image-score';
import { writeOutputs } from '../../evaluate/outputs';
import type { EvaluateParams } from './node';
import { pairedTests } from '../../evaluate/paired-tests';
import { modelRows } from '../../evaluate/row-labels';
import { seedRows } from '../../evaluate/seed-rows';
import type { Resolution } from '../../evaluate/model-summary';
import type { EvaluationSummary, ItemExclusion } from '../../evaluate/summary';
import { groundTruthOnGrid, itemFileStem, NO_SPACING, readTestSet, type TestSet } from '../../evaluate/test-set';

/** Params with the schema's defaults filled in (the engine applies them too; direct callers may not). */
export const GROUND_TRUTH_DIR = 'ground-truth';

/** `count` indices spread evenly from the first item to the last. */
export function evenlySpaced(count: number, total: number): number[] {
  const n = Math.min(count, total);
  if (n <= 1) return n === 1 ? [0] : [];
  return Array.from({ length: n }, (_, k) => Math.round((k * (total - 1)) / (n - 1)));
}

async function writeGroundTruths(test: TestSet, outDir: string, stems: readonly string[]): Promise<{ labels: Uint8Array[]; files: string[] }> {
  await fs.mkdir(path.join(outDir, GROUND_TRUTH_DIR), { recursive: true });
  const labels: Uint8Array[] = [];
  const files: string[] = [];
  for (let i = 0; i < test.grids.length; i++) {
    const truth = groundTruthOnGrid(test, i);
    const file = path.join(GROUND_TRUTH_DIR, `${stems[i]}.png`);
    await fs.writeFile(path.join(outDir, file), encodeGrayPng(truth, test.grids[i].size[0], test.grids[i].size[1]));
    labels.push(truth);
    files.push(toPosix(file));
  }
  return { labels, files };
}

/** Above this many items without spacing, the log names them on one line rather than one line each. */
const NO_SPACING_LINES = 3;

/** The items without pixel spacing, as summary.json lists them, and the log lines that say so. */
export function spacingExclusions(test: TestSet, clinical: boolean): { exclusions: ItemExclusion[]; log: string[] } {
  const items = test.dataset.manifest.items.filter((_, i) => test.grids[i].spacing === null);
  const leftOutOf = ['hd', 'assd', 'hd95', 'mad', ...(clinical ? ['clinical'] : [])];
  const exclusions = items.map((item): ItemExclusion => ({ item: item.id, patient: item.patient, reason: NO_SPACING, leftOutOf }));
  const what = `scored for Dice only, left out of HD, ASSD, HD95 and MAD${clinical ? ' and the clinical indices' : ''}`;
  const log =
    items.length <= NO_SPACING_LINES
      ? items.map((item) => `${item.id} (${item.patient}): ${NO_SPACING}; ${what}`)
      : [`${items.length} items have ${NO_SPACING} (${items.map((item) => item.id).join(', ')}); ${what}`];
  return { exclusions, log };
}

/** Fraction of ground-truth masks (stored size) that are anatomically valid, by group. */
function groundTruthValidity(test: TestSet): EvaluationSummary['groundTruthValid'] {
  const [h, w] = test.size;
  const items = test.dataset.manifest.items;
  const valid = items.map((_, i) => isAnatomicallyValid(test.dataset.masks.subarray(i * h * w, (i + 1) * h * w), h, w).valid);
  const result: EvaluationSummary['groundTruthValid'] = {};
  for (const group of GROUP_NAMES) {
    const members = items.map((item, i) => ({ item, i })).filter(({ item }) => inGroup(item, group));
    if (group !== 'all' && members.length === 0) continue;
    const count = members.filter(({ i }) => valid[i]).length;
    result[group] = { count, fraction: count / members.length };
  }
  return result;
}

/** The evaluate node's implementation (its definition, nodes/types/evaluate/node.ts, loads it when a node runs). */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: EvaluateParams): Promise<void> {
  const models = many(inputs, 'models');
  if (models.length === 0) throw new UserError(`${ctx.nodeId}: input "models" is empty; connect at least one segmentation model (e.g. models: [unet, enet])`);
  const ids = models.map((m) => m.nodeId);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated !== undefined) throw new UserError(`${ctx.nodeId}: model ${repeated} is connected twice to input "models"`);

  const test = await readTestSet(single(inputs, 'test'), params.protocol, params.resolution);
  const resolution: Resolution = params.protocol === 'spade' ? 'model' : params.resolution;
  if (params.protocol === 'spade' && params.resolution === 'native')
    ctx.log('protocol spade: metrics at the stored size (generated images have no native grid)');
  const items = test.dataset.manifest.items;
  const outDir = ctx.outputDir('metrics');
  const stems = items.map(itemFileStem);
  const truths = await writeGroundTruths(test, outDir, stems);
  const exampleIndices = evenlySpaced(params.examples, items.length);
  const clinical = params.clinical && params.protocol === 'segmentation' && completePatients(items).length > 0;
  if (params.clinical && params.protocol === 'segmentation' && !clinical) {
    ctx.log('clinical indices skipped: no test patient has 2CH and 4CH images at both ED and ES');
  }
  const noSpacing = spacingExclusions(test, clinical);
  for (const line of noSpacing.log) ctx.log(line);
  const referenceDiscs = clinical
    ? truths.labels.map((labels, i) => {
        const { size, spacing } = test.grids[i];
        return spacing === null ? null : viewDiscs(labels, size[0], size[1], spacing);
      })
    : [];

  const evaluations: (ModelEvaluation & { id: string })[] = [];
  let done = 0;
  for (const artifact of models) {
    ctx.log(`segmenting ${items.length} images of ${test.artifact.from} with ${artifact.nodeId}`);
    const evaluation = await evaluateModel(artifact, {
      test,
      groundTruths: truths.labels,
      groundTruthFiles: truths.files,
      fileStems: stems,
      outDir,
      batchSize: params.batchSize,
      exampleIndices,
      clinical,
      signal: ctx.signal,
      onImage: () => ctx.progress({ done: ++done, total: models.length * items.length, unit: 'image', message: artifact.nodeId }),
    });
    evaluations.push({ ...evaluation, id: artifact.nodeId });
  }

  const rows = modelRows(
    evaluations.map((e) => ({ id: e.id, className: e.className })),
    params.rows,
  );
  const scores: ImageScore[] = evaluations.flatMap((e) => e.scores);
  const modelSummaries: EvaluationSummary['models'] = rows.map((row, i) => ({
    id: row.id,
    className: row.className,
    dataset: row.dataset,
    model: row.model,
    ...(row.seed === undefined ? {} : { seed: row.seed }),
    paper:
      params.protocol === 'segmentation' && row.paper !== undefined
        ? { dataset: row.paper.dataset, model: row.paper.model, values: { dice: row.paper.dice, hd: row.paper.hd, assd: row.paper.assd } }
        : null,
    groups: summariseModel(evaluations[i].scores),
  }));
  const indices = clinical
    ? clinicalEvaluation({
        items,
        reference: referenceDiscs,
        models: rows.map((row, i) => ({ id: row.id, dataset: row.dataset, model: row.model, discs: evaluations[i].discs })),
      })
    : undefined;
  if (indices !== undefined) {
    const { reference, models: perModel } = indices.summary;
    ctx.log(`clinical indices: ${reference.patients} of ${indices.summary.patients} test patients measured on the ground truth`);
    for (const e of reference.excluded) ctx.log(`clinical indices: ${e.patient} left out (ground truth): ${e.reason}`);
    for (const m of perModel) for (const e of m.excluded) ctx.log(`clinical indices: ${e.patient} left out for ${m.id}: ${e.reason}`);
  }
  const overSeeds = seedRows(modelSummaries);
  const paired = params.protocol === 'segmentation' ? pairedTests(modelSummaries, scores) : [];
  const summary: EvaluationSummary = {
    format: 'cardigan-evaluation/1',
    protocol: params.protocol,
    resolution,
    test: { from: test.artifact.from, items: items.length, size: test.size },
    hausdorff: params.hausdorff,
    models: modelSummaries,
    ...(overSeeds.length > 0 ? { seedRows: overSeeds } : {}),
    ...(paired.length > 0 ? { pairedTests: paired } : {}),
    // Only when some item was left out, so that the file of a test set with spacing everywhere is unchanged.
    ...(noSpacing.exclusions.length > 0 ? { exclusions: noSpacing.exclusions } : {}),
    groundTruthValid: groundTruthValidity(test),
    ...(indices === undefined ? {} : { clinical: indices.summary }),
  };
  await writeOutputs(outDir, {
    summary,
    scores,
    test,
    exampleIndices,
    examples: evaluations.map((e) => e.examples),
    ...(indices === undefined ? {} : { clinical: indices.lines }),
  });
  for (const m of summary.models) {
    const all = m.groups.all;
    if (all !== undefined)
      ctx.log(
        `${m.id}: endo Dice ${all.metrics.endo.dice.mean?.toFixed(3)}, epi Dice ${all.metrics.epi.dice.mean?.toFixed(3)}, valid ${(100 * all.valid.fraction).toFixed(1)} %`,
      );
  }
  for (const m of indices?.summary.models ?? []) {
    const ef = m.agreement.ef;
    ctx.log(`${m.id}: EF over ${ef.n} patients r ${ef.r?.toFixed(3) ?? '–'}, bias ${ef.bias?.toFixed(1) ?? '–'} %, MAE ${ef.mae?.toFixed(1) ?? '–'} %`);
  }
}
