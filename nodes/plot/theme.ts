import type { Config } from 'vega-lite';

/** Shared look of every cardigan chart: white background, readable sizes, a fixed categorical palette. */
export const CHART_CONFIG: Config = {
  background: 'white',
  padding: 8,
  view: { stroke: '#ddd' },
  title: { fontSize: 14, anchor: 'start', subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 240 },
  range: { category: { scheme: 'tableau10' } },
};

/** The vega-lite schema the specs are written against (a label only: nothing is fetched). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Rounds chart data so that float noise below what a chart can show never changes its bytes. */
export function chartNumber(value: number): number {
  return Number(value.toPrecision(6));
}
