import { ksStatistic, wassersteinDistance } from './distribution-distance';
import type { TopLevelSpec } from 'vega-lite';
import { histogramGrid } from '../plot/histograms';
import { STATISTIC_DESCRIPTIONS, STATISTICS, type MaskStatistics, type StatisticName } from './statistics';

/** How far each statistic's distribution is from the reference's, before and after alignment. */
export interface SampleSummary {
  /** Masks where the statistic is defined (an LV/LA ratio needs an LA). */
  count: number;
  mean: number | null;
  std: number | null;
}

export interface DistanceToReference extends SampleSummary {
  /** 1-D Wasserstein distance to the reference, in the statistic's units; null when either sample is empty. */
  wasserstein: number | null;
  /** Two-sample Kolmogorov–Smirnov statistic against the reference. */
  ks: number | null;
}

export interface StatisticComparison {
  name: StatisticName;
  description: string;
  reference: SampleSummary;
  before: DistanceToReference;
  after: DistanceToReference;
}

export function compareStatistics(
  reference: readonly MaskStatistics[],
  before: readonly MaskStatistics[],
  after: readonly MaskStatistics[],
): StatisticComparison[] {
  return STATISTICS.map((name) => {
    const values = (set: readonly MaskStatistics[]): number[] => set.map((s) => s[name]).filter(Number.isFinite);
    const ref = values(reference);
    const distance = (sample: number[]): DistanceToReference => ({
      ...summarise(sample),
      wasserstein: sample.length > 0 && ref.length > 0 ? wassersteinDistance(sample, ref) : null,
      ks: sample.length > 0 && ref.length > 0 ? ksStatistic(sample, ref) : null,
    });
    return { name, description: STATISTIC_DESCRIPTIONS[name], reference: summarise(ref), before: distance(values(before)), after: distance(values(after)) };
  });
}

function summarise(values: number[]): SampleSummary {
  if (values.length === 0) return { count: 0, mean: null, std: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { count: values.length, mean, std };
}

/** Grey for the reference, red before alignment, blue after, in every panel and the legend. */
const SERIES = [
  { name: 'reference', colour: '#5a5a5a' },
  { name: 'before alignment', colour: '#d62728' },
  { name: 'after alignment', colour: '#1f77b4' },
] as const;

/** The paper's annex F figure: one panel per statistic, the three samples overlaid as shares of each sample. */
export function histogramFigure(
  sets: { reference: readonly MaskStatistics[]; before: readonly MaskStatistics[]; after: readonly MaskStatistics[] },
  options: { bins: number; columns: number },
): TopLevelSpec {
  const samples = [sets.reference, sets.before, sets.after];
  return histogramGrid(
    STATISTICS.map((name) => ({
      title: name,
      xTitle: STATISTIC_DESCRIPTIONS[name],
      groups: samples.map((sample, k) => ({ name: SERIES[k].name, values: sample.map((s) => s[name]) })),
    })),
    {
      columns: options.columns,
      maxBins: options.bins,
      normalise: true,
      colours: SERIES.map((s) => s.colour),
      title: 'Mask statistics before and after alignment, against the reference',
    },
  );
}

export function comparisonMarkdown(comparisons: readonly StatisticComparison[], columns: number, header: string): string {
  const number = (value: number | null): string => (value === null ? '–' : Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(3));
  const lines = [
    header,
    '',
    '| statistic | Wasserstein before | Wasserstein after | KS before | KS after | mean reference | mean before | mean after |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...comparisons.map(
      (c) =>
        `| ${c.name} (${c.description}) | ${number(c.before.wasserstein)} | ${number(c.after.wasserstein)} | ${number(c.before.ks)} | ${number(c.after.ks)} | ${number(c.reference.mean)} | ${number(c.before.mean)} | ${number(c.after.mean)} |`,
    ),
    '',
    `![histograms](histograms.png)`,
    '',
    `histograms.png (and .svg): one panel per statistic, ${columns} per row in the table's order; grey = reference, red = masks before alignment, blue = after. Bars are shares of each sample over bins shared by the three.`,
    '',
  ];
  return lines.join('\n');
}
