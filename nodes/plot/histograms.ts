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
  /** CSS colours in group order, where a colour means something (grey for a reference); else the chart palette. */
  colours?: readonly string[];
}

/** One panel of a histogram grid: a title and its groups (the same group names in every panel). */
export interface HistogramPanel {
  title: string;
  xTitle?: string;
  groups: readonly HistogramGroup[];
}

const WIDTH = 420;
const HEIGHT = 220;

/**
 * The unit view of overlaid, semi-transparent histograms of several groups over shared bins: data,
 * binning, bars and encodings, without the top-level wrapping (so that panels of a grid share it).
 */
function histogramView(groups: readonly HistogramGroup[], options: HistogramOptions, size: { width: number; height: number }) {
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
    data: { values },
    transform: [
      { bin: { maxbins: options.maxBins ?? 30 }, field: 'value', as: ['start', 'end'] },
      { aggregate: [{ op: 'count' as const, as: 'count' }], groupby: ['group', 'start', 'end'] },
      { joinaggregate: [{ op: 'sum' as const, field: 'count', as: 'total' }], groupby: ['group'] },
      { calculate: 'datum.count / datum.total', as: 'share' },
    ],
    ...size,
    mark: { type: 'bar' as const, opacity: 0.5, binSpacing: 0 },
    encoding: {
      x: { field: 'start', type: 'quantitative' as const, bin: { binned: true }, title: options.xTitle ?? 'value' },
      x2: { field: 'end' },
      y: { field: yField, type: 'quantitative' as const, stack: null, title: options.normalise ? 'share of group' : 'count' },
      color: {
        field: 'group',
        type: 'nominal' as const,
        title: null,
        scale: options.colours === undefined ? { domain: names } : { domain: names, range: [...options.colours] },
      },
    },
  };
}

/** Overlaid, semi-transparent histograms of several groups over shared bins. */
export function overlaidHistograms(groups: readonly HistogramGroup[], options: HistogramOptions = {}): TopLevelSpec {
  return { $schema: VEGA_LITE_SCHEMA, config: CHART_CONFIG, title: options.title, ...histogramView(groups, options, { width: WIDTH, height: HEIGHT }) };
}

/**
 * A grid of overlaid-histogram panels, `columns` across, each binned on its own axis, with one legend
 * for the groups (e.g. one panel per mask statistic: reference, before and after alignment).
 */
export function histogramGrid(
  panels: readonly HistogramPanel[],
  options: HistogramOptions & { columns: number; panelWidth?: number; panelHeight?: number },
): TopLevelSpec {
  const size = { width: options.panelWidth ?? 200, height: options.panelHeight ?? 120 };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: options.title,
    columns: options.columns,
    concat: panels.map((panel) => ({ title: panel.title, ...histogramView(panel.groups, { ...options, xTitle: panel.xTitle ?? panel.title }, size) })),
    resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
  };
}
