import { STRUCTURE_NAMES, type StructureName } from '../metrics/segmentation-metrics';
import { csvLine } from '../data/csv';
import { METRIC_NAMES, type MetricName } from './aggregate';
import type { ImageScore } from './image-score';
import type { ModelSummary } from './model-summary';
import { wilcoxonSignedRank, type WilcoxonMethod } from './wilcoxon';

/**
 * Is a row's difference from CAMUS real? For each model name (U-Net, ENet) and each training set
 * other than CAMUS, a two-sided Wilcoxon signed-rank test (wilcoxon.ts) of that row against the CAMUS
 * row of the same model, paired by test image, for every structure and metric. Where a row has
 * several seeds, each image's value is first averaged over the seeds (NaN ones left out), so one
 * test compares the two rows' seed-averaged models image by image; the spread between seeds is
 * Table 1's ± (seed-rows.ts). An image whose value is NaN on either side (an empty structure) is
 * dropped and counted.
 */

export const BASELINE_DATASET = 'CAMUS';

export interface PairedTest {
  model: string;
  /** CAMUS. */
  baseline: string;
  dataset: string;
  structure: StructureName;
  metric: MetricName;
  /** Seeds averaged on each side (1 for a single model). */
  seeds: { baseline: number; dataset: number };
  /** Test images paired (finite on both sides). */
  images: number;
  /** Images dropped because a side is NaN. */
  dropped: number;
  /** Pairs with a non-zero difference (the test's n) and pairs with none. */
  n: number;
  zeros: number;
  /** min(T+, T−). */
  statistic: number;
  pValue: number | null;
  method: WilcoxonMethod | null;
  /** Median over images of (dataset − CAMUS): > 0 means higher on the dataset (better Dice, worse HD/ASSD). */
  medianDifference: number;
  /** Mean of each side over the paired images. */
  meanBaseline: number;
  meanDataset: number;
}

/** Per test item, the mean over these models' scores of one metric (NaN when none is finite). */
function perImage(scores: readonly ImageScore[], ids: readonly string[], structure: StructureName, metric: MetricName): Map<string, number> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const score of scores) {
    if (!ids.includes(score.model)) continue;
    const entry = sums.get(score.item.id) ?? { sum: 0, count: 0 };
    const value = score.metrics[structure][metric];
    if (Number.isFinite(value)) {
      entry.sum += value;
      entry.count++;
    }
    sums.set(score.item.id, entry);
  }
  return new Map([...sums].map(([item, { sum, count }]) => [item, count === 0 ? NaN : sum / count]));
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

export function pairedTests(models: readonly ModelSummary[], scores: readonly ImageScore[]): PairedTest[] {
  const rows = new Map<string, { dataset: string; model: string; ids: string[] }>();
  for (const m of models) {
    const key = `${m.dataset}\u0000${m.model}`;
    const row = rows.get(key) ?? { dataset: m.dataset, model: m.model, ids: [] };
    row.ids.push(m.id);
    rows.set(key, row);
  }
  const tests: PairedTest[] = [];
  for (const baseline of rows.values()) {
    if (baseline.dataset !== BASELINE_DATASET) continue;
    for (const other of rows.values()) {
      if (other.model !== baseline.model || other === baseline) continue;
      for (const structure of STRUCTURE_NAMES) {
        for (const metric of METRIC_NAMES) {
          const base = perImage(scores, baseline.ids, structure, metric);
          const them = perImage(scores, other.ids, structure, metric);
          const paired = [...base].filter(([item, v]) => Number.isFinite(v) && Number.isFinite(them.get(item) ?? NaN));
          const x = paired.map(([item]) => them.get(item) as number);
          const y = paired.map(([, v]) => v);
          if (paired.length === 0) continue;
          const result = wilcoxonSignedRank(x, y);
          tests.push({
            model: baseline.model,
            baseline: baseline.dataset,
            dataset: other.dataset,
            structure,
            metric,
            seeds: { baseline: baseline.ids.length, dataset: other.ids.length },
            images: paired.length,
            dropped: base.size - paired.length,
            n: result.n,
            zeros: result.zeros,
            statistic: result.statistic,
            pValue: result.pValue,
            method: result.method,
            medianDifference: result.medianDifference,
            meanBaseline: mean(y),
            meanDataset: mean(x),
          });
        }
      }
    }
  }
  return tests;
}

const TITLES: Record<MetricName, string> = { dice: 'Dice', hd: 'HD (mm)', assd: 'ASSD (mm)', hd95: 'HD95 (mm)', mad: 'MAD (mm)' };
const DIGITS: Record<MetricName, number> = { dice: 4, hd: 3, assd: 3, hd95: 3, mad: 3 };

/** p as a reader wants it: two significant digits, and no false precision below what is resolved. */
export function pText(p: number | null): string {
  if (p === null) return '–';
  return p < 1e-14 ? '< 1e-14' : p.toPrecision(2);
}

export function pairedTestsMarkdown(tests: readonly PairedTest[]): string {
  const header = '| Model | Training data | vs | Structure | Metric | Seeds | Images | Mean | Mean vs | Median Δ | W | p | Method |';
  const lines = tests.map(
    (t) =>
      `| ${[
        t.model,
        t.dataset,
        t.baseline,
        t.structure,
        TITLES[t.metric],
        `${t.seeds.dataset} / ${t.seeds.baseline}`,
        t.dropped === 0 ? String(t.images) : `${t.images} (${t.dropped} dropped)`,
        t.meanDataset.toFixed(DIGITS[t.metric]),
        t.meanBaseline.toFixed(DIGITS[t.metric]),
        (t.medianDifference >= 0 ? '+' : '') + t.medianDifference.toFixed(DIGITS[t.metric]),
        String(t.statistic),
        pText(t.pValue),
        t.method ?? '',
      ].join(' | ')} |`,
  );
  return [
    '# Paired tests: each training set against CAMUS',
    '',
    tests.length === 0
      ? 'No row was trained on CAMUS, or no other row has the same model: nothing to compare.'
      : [
          header,
          `|${header
            .split('|')
            .slice(1, -1)
            .map((_, i) => (i < 5 ? '---' : '---:'))
            .join('|')}|`,
          ...lines,
        ].join('\n'),
    '',
    "- Two-sided Wilcoxon signed-rank test of the two rows, paired by test image (SciPy's `wilcoxon` with its defaults: zero differences dropped, no continuity correction). Exact p for at most 50 non-zero differences without ties, else the normal approximation with the tie correction.",
    "- Where a row has several seeds, each image's value is averaged over its seeds first; Table 1's ± over seeds shows how much one training run differs from the next.",
    '- Images where a side has no distance (an empty structure) are dropped. Median Δ: median over images of (training data − CAMUS); W: min(T+, T−).',
    '- Many tests are shown at once: read a p-value against the number of tests (e.g. Bonferroni: 0.05 / number of lines).',
    '',
  ].join('\n');
}

export const PAIRED_CSV_HEADER = [
  'model',
  'dataset',
  'baseline',
  'structure',
  'metric',
  'seeds_dataset',
  'seeds_baseline',
  'images',
  'dropped',
  'n',
  'zeros',
  'mean_dataset',
  'mean_baseline',
  'median_difference',
  'statistic',
  'p_value',
  'method',
] as const;

export function pairedTestsCsv(tests: readonly PairedTest[]): string {
  return (
    csvLine(PAIRED_CSV_HEADER) +
    tests
      .map((t) =>
        csvLine([
          t.model,
          t.dataset,
          t.baseline,
          t.structure,
          t.metric,
          t.seeds.dataset,
          t.seeds.baseline,
          t.images,
          t.dropped,
          t.n,
          t.zeros,
          t.meanDataset,
          t.meanBaseline,
          t.medianDifference,
          t.statistic,
          t.pValue ?? '',
          t.method ?? '',
        ]),
      )
      .join('')
  );
}
