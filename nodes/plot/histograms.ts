import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, chartNumber, VEGA_LITE_SCHEMA } from './theme';

export interface HistogramGroup {
  name: string;
  values: ArrayLike<number>;
}

export interface HistogramOptions {
  title?: string;
  xTitle?: string;
  /** Upper bound on the number of bins; vega-lite picks nice edges shared by every group. */
  maxBins?: number;
  /** Plot each group's share of its own items instead of counts (groups of different sizes). */
  normalise?: boolean;
}

/** Overlaid, semi-transparent histograms of several groups over shared bins. */
export function overlaidHistograms(groups: readonly HistogramGroup[], options: HistogramOptions = {}): TopLevelSpec {
  const names = groups.map((g) => g.name);
  const values: { group: string; value: number }[] = [];
  for (const group of groups) {
    for (let i = 0; i < group.values.length; i++) {
      const value = group.values[i];
      if (Number.isFinite(value)) values.push({ group: group.name, value: chartNumber(value) });
    }
  }
  const yField = options.normalise ? 'share' : 'count';
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: options.title,
    data: { values },
    transform: [
      { bin: { maxbins: options.maxBins ?? 30 }, field: 'value', as: ['start', 'end'] },
      { aggregate: [{ op: 'count', as: 'count' }], groupby: ['group', 'start', 'end'] },
      { joinaggregate: [{ op: 'sum', field: 'count', as: 'total' }], groupby: ['group'] },
      { calculate: 'datum.count / datum.total', as: 'share' },
    ],
    width: 420,
    height: 220,
    mark: { type: 'bar', opacity: 0.5, binSpacing: 0 },
    encoding: {
      x: { field: 'start', type: 'quantitative', bin: { binned: true }, title: options.xTitle ?? 'value' },
      x2: { field: 'end' },
      y: { field: yField, type: 'quantitative', stack: null, title: options.normalise ? 'share of group' : 'count' },
      color: { field: 'group', type: 'nominal', title: null, scale: { domain: names } },
    },
  };
}
