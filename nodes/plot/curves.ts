import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, chartNumber, VEGA_LITE_SCHEMA } from './theme';

/** One line: a name and its (x, y) points. */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** One parsed line of a log.jsonl (epoch, losses, learning rates, validation scores, ...). */
export type LogRecord = Readonly<Record<string, unknown>>;

/**
 * Series from log records: one per field, x from `x` (default `epoch`). Records without a finite
 * number for a field are skipped for that field (validation scores logged every few epochs, NaN
 * losses). `prefix` names the run when several runs share a chart, e.g. `unet[train=camusx]`.
 */
export function seriesFromLog(records: readonly LogRecord[], fields: readonly string[], options: { x?: string; prefix?: string } = {}): Series[] {
  const x = options.x ?? 'epoch';
  return fields.map((field) => {
    const points: [number, number][] = [];
    for (const record of records) {
      const xv = record[x];
      const yv = record[field];
      if (typeof xv === 'number' && typeof yv === 'number' && Number.isFinite(xv) && Number.isFinite(yv)) points.push([xv, yv]);
    }
    return { name: options.prefix === undefined ? field : `${options.prefix} ${field}`, points };
  });
}

export interface CurvesOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Logarithmic y (losses spanning decades). Non-positive values are then left out. */
  logY?: boolean;
  /** One panel per series with its own y scale, instead of all lines on one set of axes. */
  separatePanels?: boolean;
}

/** Line chart of training curves: one coloured line per series, in the order given. */
export function trainingCurves(series: readonly Series[], options: CurvesOptions = {}): TopLevelSpec {
  const names = series.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`training curves: duplicate series names in ${names.join(', ')}`);
  const values = series.flatMap((s) =>
    s.points.filter(([, y]) => !options.logY || y > 0).map(([x, y]) => ({ series: s.name, x: chartNumber(x), y: chartNumber(y) })),
  );
  const encoding = {
    x: { field: 'x', type: 'quantitative' as const, title: options.xTitle ?? 'epoch' },
    y: {
      field: 'y',
      type: 'quantitative' as const,
      title: options.separatePanels ? null : (options.yTitle ?? null),
      scale: options.logY ? { type: 'log' as const } : { zero: false },
    },
    color: { field: 'series', type: 'nominal' as const, title: null, scale: { domain: names } },
  };
  const base = { $schema: VEGA_LITE_SCHEMA, config: CHART_CONFIG, title: options.title, data: { values } };
  if (!options.separatePanels) {
    return { ...base, width: 420, height: 240, mark: { type: 'line', strokeWidth: 1.5 }, encoding };
  }
  return {
    ...base,
    facet: { row: { field: 'series', type: 'nominal', title: null, sort: names } },
    spec: { width: 420, height: 120, mark: { type: 'line', strokeWidth: 1.5 }, encoding },
    resolve: { scale: { y: 'independent' } },
  };
}
