import { promises as fs } from 'fs';
import * as path from 'path';
import { parse } from 'csv-parse/sync';
import { fail, ok, type ResolvedClaim, type Result } from '../../engine';
import type { ClaimEvidence, NodeEntry } from '../../engine/cli/reporting';
import type { EvaluationSummary } from '../evaluate/summary';
import { METRIC_NAMES, type MetricName } from '../evaluate/aggregate';
import { seedStat } from '../evaluate/seed-rows';
import { STRUCTURE_NAMES, type StructureName } from '../metrics/segmentation-metrics';
import { wilcoxonSignedRank } from '../evaluate/wilcoxon';

/**
 * The evidence for one Table 1 claim from an evaluate node's files: each row's mean ± std over its
 * seeds from summary.json (each seed's mean over all test images, as Table 1's rows over seeds), and
 * a Wilcoxon signed-rank test of a against b paired by test image from per-image.csv, each image's
 * value averaged over the row's seeds first: the same test as evaluate's paired-tests.md, for any
 * two rows, not only against CAMUS.
 */

/** evaluate's output port (nodes/types/evaluate/node.ts). */
const PORT = 'metrics';

export async function readEvidence(claim: ResolvedClaim, entry: NodeEntry): Promise<Result<ClaimEvidence, string>> {
  const dir = entry.outputs[PORT]?.dir;
  if (dir === undefined) return fail(`the evaluate entry has no "${PORT}" output`);
  const [metric, structure] = claim.metric.split('_') as [MetricName, StructureName];
  if (!METRIC_NAMES.includes(metric) || !STRUCTURE_NAMES.includes(structure)) return fail(`"${claim.metric}" is not a Table 1 metric`);
  const summary = await readText(path.join(dir, 'summary.json'));
  const table = await readText(path.join(dir, 'per-image.csv'));
  if (!summary.ok) return summary;
  if (!table.ok) return table;
  let models: EvaluationSummary['models'];
  try {
    models = (JSON.parse(summary.value) as EvaluationSummary).models;
  } catch (error) {
    return fail(`summary.json of the evaluate entry is not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(models)) return fail('summary.json of the evaluate entry has no models');
  const rows: ClaimEvidence['a'][] = [];
  for (const ids of [claim.a.ids, claim.b.ids]) {
    const means: (number | null)[] = [];
    for (const id of ids) {
      const model = models.find((m) => m.id === id);
      if (model === undefined) return fail(`summary.json has no model "${id}"`);
      const cell = model.groups.all?.metrics[structure]?.[metric];
      if (cell === undefined) return fail(`summary.json has no ${claim.metric} for "${id}"`);
      means.push(cell.mean);
    }
    rows.push(seedStat(means));
  }
  const column = `${structure}_${metric}`;
  let records: Record<string, string>[];
  try {
    records = parse(table.value, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (error) {
    return fail(`per-image.csv of the evaluate entry is not readable as CSV (${(error as Error).message})`);
  }
  if (records.length > 0 && !(column in records[0])) return fail(`per-image.csv has no column ${column}`);
  const a = perImage(records, claim.a.ids, column);
  const b = perImage(records, claim.b.ids, column);
  const items = [...a.keys()].filter((item) => Number.isFinite(a.get(item)) && Number.isFinite(b.get(item) ?? NaN));
  let test: ClaimEvidence['test'] = null;
  if (items.length > 0) {
    const result = wilcoxonSignedRank(
      items.map((i) => a.get(i) as number),
      items.map((i) => b.get(i) as number),
    );
    test = { pValue: result.pValue, n: result.n, method: `Wilcoxon signed-rank over ${items.length} test images` };
  }
  return ok({ a: rows[0], b: rows[1], test });
}

/** Per test item, the mean of a column over these models (NaN when none has a value). */
function perImage(records: readonly Record<string, string>[], ids: readonly string[], column: string): Map<string, number> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const record of records) {
    if (!ids.includes(record.model)) continue;
    const entry = sums.get(record.item) ?? { sum: 0, count: 0 };
    const value = record[column] === '' ? NaN : Number(record[column]);
    if (Number.isFinite(value)) {
      entry.sum += value;
      entry.count++;
    }
    sums.set(record.item, entry);
  }
  return new Map([...sums].map(([item, { sum, count }]) => [item, count === 0 ? NaN : sum / count]));
}

async function readText(file: string): Promise<Result<string, string>> {
  try {
    return ok(await fs.readFile(file, 'utf8'));
  } catch {
    return fail(`cannot read ${path.basename(file)} of the evaluate entry`);
  }
}
