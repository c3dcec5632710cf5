import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, chartNumber, VEGA_LITE_SCHEMA } from './theme';

/** Points in k dimensions, row-major, each with the group it belongs to (its colour). */
export interface GroupedPoints {
  /** Row-major [n × dims]. */
  coordinates: ArrayLike<number>;
  dims: number;
  /** Group of each point, length n. */
  groups: readonly string[];
  /** Colour order (and legend order); defaults to first appearance. Fixed order = fixed colours. */
  groupOrder?: readonly string[];
  /** Axis names, one per dimension; default `1`, `2`, … */
  axisNames?: readonly string[];
  title?: string;
  /** Lines under the title, e.g. the numbers that say what the picture shows. */
  subtitle?: readonly string[];
}

const POINT = { type: 'circle', size: 14, opacity: 0.6 } as const;

function rows(points: GroupedPoints): Record<string, number | string>[] {
  const n = points.groups.length;
  if (points.coordinates.length !== n * points.dims) {
    throw new Error(`scatter: ${n} groups but ${points.coordinates.length / points.dims} points of ${points.dims} dimensions`);
  }
  const out: Record<string, number | string>[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, number | string> = { group: points.groups[i] };
    for (let d = 0; d < points.dims; d++) row[`c${d}`] = chartNumber(points.coordinates[i * points.dims + d]);
    out.push(row);
  }
  return out;
}

function groupDomain(points: GroupedPoints): string[] {
  return points.groupOrder !== undefined ? [...points.groupOrder] : [...new Set(points.groups)];
}

function axisName(points: GroupedPoints, d: number): string {
  return points.axisNames?.[d] ?? String(d + 1);
}

function panel(points: GroupedPoints, dx: number, dy: number, size: number) {
  return {
    width: size,
    height: size,
    mark: POINT,
    encoding: {
      x: { field: `c${dx}`, type: 'quantitative' as const, title: axisName(points, dx), scale: { zero: false } },
      y: { field: `c${dy}`, type: 'quantitative' as const, title: axisName(points, dy), scale: { zero: false } },
      color: { field: 'group', type: 'nominal' as const, title: null, scale: { domain: groupDomain(points) } },
    },
  };
}

function title(points: GroupedPoints) {
  return points.title === undefined ? undefined : { text: points.title, subtitle: points.subtitle === undefined ? undefined : [...points.subtitle] };
}

/** A 2-D scatter coloured by group (uses the first two dimensions). */
export function scatterByGroup(points: GroupedPoints): TopLevelSpec {
  if (points.dims < 2) throw new Error(`scatter: need at least 2 dimensions, got ${points.dims}`);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: title(points),
    data: { values: rows(points) },
    ...panel(points, 0, 1, 360),
  };
}

/** The three pairwise projections (1–2, 1–3, 2–3) of 3-D points side by side, one shared legend. */
export function pairwiseProjections(points: GroupedPoints): TopLevelSpec {
  if (points.dims !== 3) throw new Error(`pairwise projections: need 3 dimensions, got ${points.dims}`);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: CHART_CONFIG,
    title: title(points),
    data: { values: rows(points) },
    hconcat: [panel(points, 0, 1, 240), panel(points, 0, 2, 240), panel(points, 1, 2, 240)],
  };
}

/** The scatter that suits the points: one panel for 2-D, three projections for 3-D. */
export function embeddingChart(points: GroupedPoints): TopLevelSpec {
  return points.dims === 3 ? pairwiseProjections(points) : scatterByGroup(points);
}
