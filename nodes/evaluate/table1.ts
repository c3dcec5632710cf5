import { csvLine } from '../data/csv';
import { STRUCTURE_NAMES, type StructureName } from '../metrics/segmentation-metrics';
import type { GroupName, GroupSummary, MetricName } from './aggregate';
import { PAPER_ROWS, PAPER_SOURCE, TABLE_METRICS, TABLE_STRUCTURES, paperOrder, type PaperValues, type TableMetric } from './paper-table';
import type { SeedGroupSummary, SeedRowSummary } from './seed-rows';
import type { Hausdorff, ModelSummary } from './model-summary';
import type { EvaluationSummary } from './summary';

/**
 * Table 1 as the paper lays it out (dataset × model rows; Dice, HD, ASSD × endo, epi columns), with
 * ED, ES, 2CH, 4CH and all images as separate lines of each row, and the paper's own numbers on a
 * line beneath ours. Beside the paper's columns, as the CAMUS benchmark reports them: the LA, and
 * the mean absolute distance (MAD, CAMUS's dm) after ASSD. The Hausdorff column is the maximum (HD,
 * the paper's and CAMUS's) or, when asked for, the 95th percentile, then titled HD95 and never put
 * beside the paper's HD. Models that differ only by seed make one row over their seeds (seed-rows.ts).
 * Markdown for reading, CSV (one line per Markdown line, every field filled) for tools. Both are
 * rendered from summary.json alone.
 */

type Phase = GroupName | 'paper';
const PHASE_ORDER: readonly GroupName[] = ['ED', 'ES', '2CH', '4CH', 'all'];

type ColumnMetric = 'dice' | 'hd' | 'hd95' | 'assd' | 'mad';
type ColumnKey = `${ColumnMetric}_${StructureName}`;

function columnMetrics(hausdorff: Hausdorff): ColumnMetric[] {
  return ['dice', hausdorff === 'max' ? 'hd' : 'hd95', 'assd', 'mad'];
}

function columnKeys(summary: EvaluationSummary): ColumnKey[] {
  return columnMetrics(summary.hausdorff ?? 'max').flatMap((metric) => STRUCTURE_NAMES.map((structure): ColumnKey => `${metric}_${structure}`));
}

interface Line {
  dataset: string;
  model: string;
  modelId: string;
  phase: Phase;
  images: number | null;
  /** Seeds the line is over (1 for a single model); null on the paper's lines. */
  seeds: number | null;
  values: Partial<Record<ColumnKey, { mean: number | null; std: number | null }>>;
  /** Images left out of the distances because a structure is empty. */
  empty: Record<StructureName, number> | null;
  valid: number | null;
  miou: number | null;
  accuracy: number | null;
}

const METRIC_TITLES: Record<ColumnMetric, string> = { dice: 'Dice', hd: 'HD', hd95: 'HD95', assd: 'ASSD', mad: 'MAD' };
const UNITS: Record<ColumnMetric, string> = { dice: '', hd: ' (mm)', hd95: ' (mm)', assd: ' (mm)', mad: ' (mm)' };
/** Decimals of ours; the paper's numbers are shown as printed (3 for Dice, 1 for mm). */
const DIGITS: Record<ColumnMetric, number> = { dice: 3, hd: 2, hd95: 2, assd: 2, mad: 2 };
const PAPER_DIGITS: Record<TableMetric, number> = { dice: 3, hd: 1, assd: 1 };

function ourLine(model: ModelSummary, phase: GroupName, group: GroupSummary): Line {
  const values = {} as Line['values'];
  for (const metric of ['dice', 'hd', 'hd95', 'assd', 'mad'] as const satisfies readonly MetricName[]) {
    for (const structure of STRUCTURE_NAMES) {
      const cell = group.metrics[structure][metric];
      // summary.json files written before HD95 and MAD existed have no such cell.
      if (cell !== undefined) values[`${metric}_${structure}`] = { mean: cell.mean, std: cell.std };
    }
  }
  return {
    dataset: model.dataset,
    model: model.model,
    modelId: model.id,
    phase,
    images: group.images,
    seeds: 1,
    values,
    empty: { endo: group.metrics.endo.hd.nan, epi: group.metrics.epi.hd.nan, la: group.metrics.la.hd.nan },
    valid: group.valid.fraction,
    miou: group.pixels.miou,
    accuracy: group.pixels.accuracy,
  };
}

function paperLine(dataset: string, model: string, modelId: string, paper: PaperValues): Line {
  const values = {} as Line['values'];
  // The paper has Dice, HD (the maximum) and ASSD of endo and epi; nothing else is put on its line.
  for (const metric of TABLE_METRICS)
    for (const structure of TABLE_STRUCTURES) values[`${metric}_${structure}`] = { mean: paper[metric][structure], std: null };
  return { dataset, model, modelId, phase: 'paper', images: null, seeds: null, values, empty: null, valid: null, miou: null, accuracy: null };
}

/** A row over seeds: the model id column lists the members, space-separated. */
function seedLine(row: SeedRowSummary, phase: GroupName, group: SeedGroupSummary): Line {
  const values = {} as Line['values'];
  for (const metric of ['dice', 'hd', 'hd95', 'assd', 'mad'] as const satisfies readonly MetricName[]) {
    for (const structure of STRUCTURE_NAMES) {
      const cell = group.metrics[structure][metric];
      if (cell !== undefined) values[`${metric}_${structure}`] = { mean: cell.mean, std: cell.std };
    }
  }
  const seeds = Math.max(...TABLE_STRUCTURES.flatMap((s) => TABLE_METRICS.map((m) => group.metrics[s][m].seeds)));
  return {
    dataset: row.dataset,
    model: row.model,
    modelId: row.ids.join(' '),
    phase,
    images: group.images,
    seeds,
    values,
    empty: { ...group.empty },
    valid: group.valid,
    miou: null,
    accuracy: null,
  };
}

interface Block {
  paper: ModelSummary['paper'];
  /** Position of its first model in the summary. */
  index: number;
  lines: Line[];
}

/** Models (a row over seeds in place of its members) in the paper's row order (the ones it lacks after, as given), then the paper's comparison rows. */
function tableLines(summary: EvaluationSummary): Line[] {
  const seedRows = summary.seedRows ?? [];
  const inSeedRow = new Set(seedRows.flatMap((row) => row.ids));
  const blocks: Block[] = [];
  summary.models.forEach((m, index) => {
    if (inSeedRow.has(m.id)) return;
    const lines = PHASE_ORDER.flatMap((phase) => (m.groups[phase] === undefined ? [] : [ourLine(m, phase, m.groups[phase] as GroupSummary)]));
    blocks.push({ paper: m.paper, index, lines: m.paper === null ? lines : [...lines, paperLine(m.dataset, m.model, m.id, m.paper.values)] });
  });
  for (const row of seedRows) {
    const lines = PHASE_ORDER.flatMap((phase) => (row.groups[phase] === undefined ? [] : [seedLine(row, phase, row.groups[phase] as SeedGroupSummary)]));
    const index = summary.models.findIndex((m) => m.id === row.ids[0]);
    blocks.push({
      paper: row.paper,
      index,
      lines: row.paper === null ? lines : [...lines, paperLine(row.dataset, row.model, row.ids.join(' '), row.paper.values)],
    });
  }
  const order = (b: Block): number => paperOrder(PAPER_ROWS.find((row) => row.dataset === b.paper?.dataset && row.model === b.paper?.model));
  blocks.sort((a, b) => order(a) - order(b) || a.index - b.index);
  const lines = blocks.flatMap((b) => b.lines);
  if (summary.protocol === 'segmentation') {
    for (const row of PAPER_ROWS.filter((r) => r.reference)) lines.push(paperLine(row.dataset, row.model, '', row));
  }
  return lines;
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function valueText(metric: ColumnMetric, value: { mean: number | null; std: number | null } | undefined, phase: Phase): string {
  if (phase === 'paper')
    return value?.mean === null || value === undefined || metric === 'hd95' || metric === 'mad' ? '' : value.mean.toFixed(PAPER_DIGITS[metric]);
  if (value === undefined || value.mean === null) return '–';
  return `${value.mean.toFixed(DIGITS[metric])} ± ${(value.std ?? 0).toFixed(DIGITS[metric])}`;
}

function percent(value: number | null): string {
  return value === null ? '' : `${(100 * value).toFixed(1)} %`;
}

function title(summary: EvaluationSummary): string {
  const { from, items, size } = summary.test;
  if (summary.protocol === 'spade') {
    return `SPADE protocol: ${items} generated images of ${from} segmented by models trained on real images and scored against the masks they were generated from, at the stored ${size[0]}×${size[1]}`;
  }
  const grid = summary.resolution === 'native' ? "each image's native size and spacing" : `the stored ${size[0]}×${size[1]} and its spacing`;
  return `Table 1: segmentation of ${from} (${items} images), metrics at ${grid}`;
}

function notes(summary: EvaluationSummary): string[] {
  const out = [
    'Mean ± standard deviation over the images of each line (population std). ED, ES: both views; 2CH, 4CH: both phases.',
    summary.hausdorff === 'hd95'
      ? 'HD95: the 95th percentile of the surface distances of both directions (MedPy hd95), not the maximum Hausdorff distance the paper and CAMUS report; the paper lines leave it blank.'
      : 'HD: the maximum (Hausdorff) surface distance, as the paper and CAMUS report it.',
    "MAD: mean absolute distance (CAMUS's dm), the mean of the two directed mean surface distances; ASSD pools the distances of both directions instead.",
  ];
  if ((summary.seedRows ?? []).length > 0) {
    out.push(
      "Lines over several seeds (Seeds > 1): the mean over the seeds of each seed's mean over the images, ± the sample standard deviation (n − 1) of those per-seed means, i.e. how much one training run differs from the next; Images and Valid are per seed, empty structures summed over the seeds. Paired tests against CAMUS: paired-tests.md.",
    );
  }
  if (summary.protocol === 'segmentation') {
    out.push(`*paper*: ${PAPER_SOURCE}.`);
    if (summary.resolution === 'native') {
      out.push(
        "Native size: the models' class probabilities are resized bilinearly to each image's native grid and arg-maxed; the stored ground truth is resampled the same way (the native ground truth is not kept in the dataset).",
      );
    }
  } else {
    out.push("mIoU and pixel accuracy pool every pixel of the line's images (background, LV, myocardium, LA), as SPADE's evaluation does.");
  }
  const truth = summary.groundTruthValid.all;
  const reference = truth === undefined ? '' : ` (${percent(truth.fraction)} of the ground-truth masks do)`;
  out.push(`Valid: predictions that pass every anatomical criterion (Painchaud et al.), judged at the model's input size${reference}.`);
  for (const e of summary.exclusions ?? [])
    out.push(`${e.item} (${e.patient}): ${e.reason}; left out of ${e.leftOutOf.join(', ')} (Dice and Valid include it).`);
  for (const m of summary.models) {
    const all = m.groups.all;
    if (all === undefined) continue;
    const empty = STRUCTURE_NAMES.filter((s) => all.metrics[s].hd.nan > 0).map((s) => `${s} ${all.metrics[s].hd.nan}`);
    if (empty.length > 0) {
      out.push(
        `${m.id}: the distances leave out images where the structure is empty in the prediction or the ground truth (${empty.join(', ')} of ${all.images}).`,
      );
    }
  }
  return out;
}

export function table1Markdown(summary: EvaluationSummary): string {
  const spade = summary.protocol === 'spade';
  const overSeeds = (summary.seedRows ?? []).length > 0;
  const keys = columnKeys(summary);
  const headers = [
    'Dataset',
    'Model',
    'Phase / view',
    'Images',
    ...(overSeeds ? ['Seeds'] : []),
    ...keys.map((key) => columnTitle(key)),
    'Valid',
    ...(spade ? ['mIoU', 'Pixel acc.'] : []),
  ];
  const rows: string[] = [`| ${headers.join(' | ')} |`, `|${headers.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`];
  let previous = '';
  for (const line of tableLines(summary)) {
    const block = `${line.dataset}\u0000${line.model}\u0000${line.modelId}`;
    const first = block !== previous;
    previous = block;
    const cells = [
      first ? markdownCell(line.dataset) : '',
      first ? markdownCell(line.model) : '',
      line.phase === 'paper' ? '*paper*' : line.phase,
      line.images === null ? '' : String(line.images),
      ...(overSeeds ? [line.seeds === null ? '' : String(line.seeds)] : []),
      ...keys.map((key) => valueText(metricOf(key), line.values[key], line.phase)),
      percent(line.valid),
      ...(spade ? [line.miou === null ? '–' : line.miou.toFixed(3), line.accuracy === null ? '' : line.accuracy.toFixed(3)] : []),
    ];
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return [`# ${title(summary)}`, '', ...rows, '', ...notes(summary).map((note) => `- ${note}`), ''].join('\n');
}

export function table1Csv(summary: EvaluationSummary): string {
  const spade = summary.protocol === 'spade';
  const keys = columnKeys(summary);
  const header = [
    'dataset',
    'model',
    'model_id',
    'phase',
    'images',
    'seeds',
    ...keys.flatMap((key) => [key, `${key}_std`]),
    ...STRUCTURE_NAMES.map((structure) => `empty_${structure}`),
    'valid_fraction',
    ...(spade ? ['miou', 'pixel_accuracy'] : []),
  ];
  const text = (value: number | null): string => (value === null ? '' : String(value));
  const lines = tableLines(summary).map((line) =>
    csvLine([
      line.dataset,
      line.model,
      line.modelId,
      line.phase,
      text(line.images),
      text(line.seeds),
      ...keys.flatMap((key) => [text(line.values[key]?.mean ?? null), text(line.values[key]?.std ?? null)]),
      ...STRUCTURE_NAMES.map((structure) => text(line.empty?.[structure] ?? null)),
      text(line.valid),
      ...(spade ? [text(line.miou), text(line.accuracy)] : []),
    ]),
  );
  return csvLine(header) + lines.join('');
}

function metricOf(key: ColumnKey): ColumnMetric {
  return key.split('_')[0] as ColumnMetric;
}

function columnTitle(key: ColumnKey): string {
  const [metric, structure] = key.split('_') as [ColumnMetric, StructureName];
  return `${METRIC_TITLES[metric]} ${structure}${UNITS[metric]}`;
}
