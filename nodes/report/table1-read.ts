import { parse } from 'csv-parse/sync';

/**
 * Reading Table 1 from the evaluate node's table1.csv, tolerantly: columns are found by name in any
 * order, metric columns by their `<metric>_<structure>` shape (with an optional `<...>_std` beside),
 * so a column added or left out by the evaluate node changes the table, not whether it renders.
 * Columns it does not recognise are kept and shown as they are.
 *
 * Expected (nodes/evaluate/table1.ts on branch `evaluate`): dataset, model, model_id, phase (ED, ES,
 * all, or `paper` for the paper's numbers on the line beneath ours), images, dice_endo,
 * dice_endo_std, dice_epi, ..., assd_epi_std, empty_endo, empty_epi, valid_fraction, and for the
 * spade protocol miou, pixel_accuracy.
 */

export interface MetricColumn {
  /** The CSV column, e.g. `dice_endo`. */
  key: string;
  metric: string;
  structure: string;
  /** The CSV column of its standard deviation, if there is one. */
  stdKey?: string;
}

export interface Cell {
  mean: number | null;
  std: number | null;
}

export interface Table1Row {
  dataset: string;
  model: string;
  /** The model's node id (links to its section), the ids of its seeds space-separated for a row over seeds, or empty for a published comparison. */
  modelId: string;
  phase: string;
  /** The paper's numbers, not ours. */
  paper: boolean;
  images: number | null;
  values: Record<string, Cell>;
  /** Share of anatomically valid predictions, 0..1. */
  valid: number | null;
  /** Recognised single-number columns other than metrics (miou, pixel_accuracy). */
  scores: Record<string, number | null>;
  /** Columns the reader does not know, as written. */
  other: Record<string, string>;
}

export interface Table1 {
  metrics: MetricColumn[];
  /** Single-number columns present (in CSV order), e.g. miou. */
  scores: string[];
  other: string[];
  rows: Table1Row[];
  /** What could not be read, for the reader of the report. */
  problems: string[];
}

const METRIC = /^(dice|hd|hd95|assd|mad|iou)_([a-z0-9]+)$/;
const IDENTITY = ['dataset', 'model', 'model_id', 'phase', 'images', 'seeds', 'valid_fraction', 'empty_endo', 'empty_epi', 'empty_la'];
const SCORES = ['miou', 'pixel_accuracy'];

function normalise(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function readTable1Csv(text: string, file = 'table1.csv'): Table1 {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error) {
    return { metrics: [], scores: [], other: [], rows: [], problems: [`${file}: not readable as CSV (${(error as Error).message})`] };
  }
  if (records.length === 0) return { metrics: [], scores: [], other: [], rows: [], problems: [`${file} is empty`] };
  const header = records[0].map(normalise);
  const index = new Map(header.map((name, i) => [name, i]));
  const problems: string[] = [];
  const metrics: MetricColumn[] = [];
  const scores: string[] = [];
  const other: string[] = [];
  for (const name of header) {
    const match = METRIC.exec(name);
    if (match !== null) {
      metrics.push({ key: name, metric: match[1], structure: match[2], ...(index.has(`${name}_std`) ? { stdKey: `${name}_std` } : {}) });
    } else if (SCORES.includes(name)) {
      scores.push(name);
    } else if (!IDENTITY.includes(name) && !(name.endsWith('_std') && METRIC.test(name.slice(0, -4)))) {
      other.push(name);
    }
  }
  if (metrics.length === 0) problems.push(`${file}: no metric columns (expected names like dice_endo, hd_epi)`);

  const rows = records.slice(1).map((record, r): Table1Row => {
    const field = (name: string): string => {
      const i = index.get(name);
      return i === undefined ? '' : (record[i] ?? '');
    };
    const number = (name: string): number | null => {
      const text = field(name);
      if (text === '' || index.get(name) === undefined) return null;
      const value = Number(text);
      if (!Number.isFinite(value)) {
        problems.push(`${file} line ${r + 2}: ${name} is "${text}", not a number`);
        return null;
      }
      return value;
    };
    const phase = field('phase');
    return {
      dataset: field('dataset'),
      model: field('model'),
      modelId: field('model_id'),
      phase,
      paper: phase.toLowerCase() === 'paper',
      images: number('images'),
      values: Object.fromEntries(metrics.map((m) => [m.key, { mean: number(m.key), std: m.stdKey === undefined ? null : number(m.stdKey) }])),
      valid: number('valid_fraction'),
      scores: Object.fromEntries(scores.map((name) => [name, number(name)])),
      other: Object.fromEntries(other.map((name) => [name, field(name)])),
    };
  });
  return { metrics, scores, other, rows, problems };
}
