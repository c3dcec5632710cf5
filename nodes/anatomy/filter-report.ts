import { promises as fs } from 'fs';
import * as path from 'path';
import type { Dataset } from '../data/dataset-artifact';
import { maskGridPng } from '../data/montage';
import { CRITERIA, type AnatomyThresholds, type CriterionId } from './criteria';
import { isAnatomicallyValid, type AnatomyVerdict } from './validity';

/**
 * The degenerate-mask filter's report: `report.json` (counts per criterion and every item's values),
 * `report.md` (the same counts as a table) and `rejected-<criterion>.png` (examples of each failure).
 */

export interface FilterReportInput {
  dataset: Dataset;
  /** One per dataset item, in order. */
  verdicts: readonly AnatomyVerdict[];
  thresholds: AnatomyThresholds;
  examplesPerCriterion: number;
}

export interface CriterionSummary {
  id: CriterionId;
  description: string;
  /** "max": values up to the threshold pass; "min": values from the threshold up pass. */
  bound: 'max' | 'min';
  threshold: number;
  /** Masks that failed this criterion (a mask can fail several). */
  failed: number;
  /** Masks on which it was not measured because a structure it involves is missing. */
  notMeasured: number;
  /** The PNG of rejected examples, when there are any and examples were asked for. */
  examples?: string;
}

export interface FilterReport {
  format: 'cardigan-anatomy-filter/1';
  total: number;
  kept: number;
  rejected: number;
  acceptanceRate: number;
  thresholds: AnatomyThresholds;
  criteria: CriterionSummary[];
  items: { id: string; valid: boolean; failures: CriterionId[]; values: Record<CriterionId, number> }[];
}

export async function writeFilterReport(dir: string, input: FilterReportInput): Promise<FilterReport> {
  const { dataset, verdicts, thresholds, examplesPerCriterion } = input;
  const [rows, cols] = dataset.manifest.size;
  // Thresholds in the units each criterion reports (the gap threshold scales with the image size).
  const reference = isAnatomicallyValid(new Uint8Array(rows * cols), rows, cols, thresholds).criteria;
  const criteria: CriterionSummary[] = [];
  for (const { id, description, bound } of CRITERIA) {
    const failing = verdicts.flatMap((verdict, index) => (verdict.criteria[id].pass ? [] : [index]));
    const summary: CriterionSummary = {
      id,
      description,
      bound,
      threshold: reference[id].threshold,
      failed: failing.length,
      notMeasured: verdicts.filter((verdict) => Number.isNaN(verdict.criteria[id].value) && verdict.criteria[id].pass).length,
    };
    const examples = failing.slice(0, examplesPerCriterion);
    if (examples.length > 0) {
      summary.examples = `rejected-${id}.png`;
      const masks = examples.map((index) => dataset.masks.subarray(index * rows * cols, (index + 1) * rows * cols));
      const captions = examples.map((index) => dataset.manifest.items[index].id);
      await fs.writeFile(path.join(dir, summary.examples), maskGridPng(masks, rows, cols, { captions, title: `rejected: ${id}` }));
    }
    criteria.push(summary);
  }
  const kept = verdicts.filter((verdict) => verdict.valid).length;
  const report: FilterReport = {
    format: 'cardigan-anatomy-filter/1',
    total: verdicts.length,
    kept,
    rejected: verdicts.length - kept,
    acceptanceRate: verdicts.length === 0 ? NaN : kept / verdicts.length,
    thresholds,
    criteria,
    items: verdicts.map((verdict, index) => ({
      id: dataset.manifest.items[index].id,
      valid: verdict.valid,
      failures: verdict.failures,
      values: Object.fromEntries(CRITERIA.map(({ id }) => [id, verdict.criteria[id].value])) as Record<CriterionId, number>,
    })),
  };
  // NaN (not measured) becomes null in JSON.
  await fs.writeFile(path.join(dir, 'report.json'), JSON.stringify(report, null, 1) + '\n');
  await fs.writeFile(path.join(dir, 'report.md'), markdown(report));
  return report;
}

export function markdown(report: FilterReport): string {
  const percent = (part: number): string => (report.total === 0 ? '–' : `${((100 * part) / report.total).toFixed(1)} %`);
  const lines = [
    '# Degenerate-mask filter',
    '',
    `Kept ${report.kept} of ${report.total} masks (${percent(report.kept)}); rejected ${report.rejected}.`,
    '',
    '| criterion | passes when | failed | share | examples |',
    '|---|---|---:|---:|---|',
  ];
  for (const c of report.criteria) {
    const rule = `${c.bound === 'max' ? '≤' : '≥'} ${formatNumber(c.threshold)}`;
    lines.push(`| \`${c.id}\`: ${c.description} | ${rule} | ${c.failed} | ${percent(c.failed)} | ${c.examples === undefined ? '' : `[png](${c.examples})`} |`);
  }
  lines.push('', 'A mask can fail several criteria. A criterion involving a missing structure is not measured; `structures-present` counts those masks.', '');
  return lines.join('\n');
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
