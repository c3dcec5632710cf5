import type { TopLevelSpec } from 'vega-lite';
import { CHART_CONFIG, chartNumber, VEGA_LITE_SCHEMA } from './theme';

/**
 * The two pictures a clinician reads a measurement's agreement from, one panel per index (EDV, ESV,
 * EF) side by side: Bland–Altman (the mean of the two measurements against their difference, with
 * the bias and the 95 % limits of agreement drawn) and predicted against reference with the identity
 * line.
 */

export interface AgreementPanel {
  /** e.g. `EDV`. */
  title: string;
  /** e.g. `mL`. */
  unit: string;
  /** One pair per patient. */
  pairs: readonly { patient: string; reference: number; predicted: number }[];
  bias: number | null;
  loa: readonly [number, number] | null;
}

const SIZE = 220;
const POINT = { type: 'circle', size: 36, opacity: 0.75, color: '#4c78a8' } as const;

function header(title: string, subtitle: readonly string[] | undefined) {
  return { text: title, ...(subtitle === undefined ? {} : { subtitle: [...subtitle] }) };
}

function blandAltmanPanel(panel: AgreementPanel) {
  const points = panel.pairs.map((p) => ({
    patient: p.patient,
    mean: chartNumber((p.reference + p.predicted) / 2),
    difference: chartNumber(p.predicted - p.reference),
  }));
  const lines = [
    ...(panel.bias === null ? [] : [{ y: chartNumber(panel.bias), label: `bias ${panel.bias.toFixed(1)}`, kind: 'bias' }]),
    ...(panel.loa === null ? [] : panel.loa.map((y, i) => ({ y: chartNumber(y), label: `${i === 0 ? '−' : '+'}1.96 SD ${y.toFixed(1)}`, kind: 'limit' }))),
  ];
  return {
    width: SIZE,
    height: SIZE,
    title: `${panel.title} (${panel.unit})`,
    layer: [
      {
        data: { values: points },
        mark: POINT,
        encoding: {
          x: { field: 'mean', type: 'quantitative' as const, title: `mean of model and reference (${panel.unit})`, scale: { zero: false } },
          y: { field: 'difference', type: 'quantitative' as const, title: `model − reference (${panel.unit})` },
          tooltip: [{ field: 'patient', type: 'nominal' as const }],
        },
      },
      {
        data: { values: lines },
        mark: { type: 'rule', color: '#e45756' } as const,
        encoding: {
          y: { field: 'y', type: 'quantitative' as const },
          strokeDash: {
            field: 'kind',
            type: 'nominal' as const,
            scale: {
              domain: ['bias', 'limit'],
              range: [
                [1, 0],
                [5, 3],
              ],
            },
            legend: null,
          },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#e45756', fontSize: 10 } as const,
        encoding: { y: { field: 'y', type: 'quantitative' as const }, x: { value: SIZE - 2 }, text: { field: 'label', type: 'nominal' as const } },
      },
    ],
  };
}

function identityPanel(panel: AgreementPanel) {
  const points = panel.pairs.map((p) => ({ patient: p.patient, reference: chartNumber(p.reference), predicted: chartNumber(p.predicted) }));
  const values = panel.pairs.flatMap((p) => [p.reference, p.predicted]);
  const lo = values.length === 0 ? 0 : Math.min(...values);
  const hi = values.length === 0 ? 1 : Math.max(...values);
  const pad = (hi - lo) * 0.05 || 1;
  const domain = [chartNumber(lo - pad), chartNumber(hi + pad)];
  const axis = (title: string) => ({ type: 'quantitative' as const, title, scale: { domain } });
  return {
    width: SIZE,
    height: SIZE,
    title: `${panel.title} (${panel.unit})`,
    layer: [
      {
        data: { values: domain.map((v) => ({ v })) },
        mark: { type: 'line' as const, color: '#888', strokeDash: [4, 3] },
        encoding: { x: { field: 'v', ...axis(`reference (${panel.unit})`) }, y: { field: 'v', ...axis(`model (${panel.unit})`) } },
      },
      {
        data: { values: points },
        mark: POINT,
        encoding: {
          x: { field: 'reference', ...axis(`reference (${panel.unit})`) },
          y: { field: 'predicted', ...axis(`model (${panel.unit})`) },
          tooltip: [{ field: 'patient', type: 'nominal' as const }],
        },
      },
    ],
  };
}

/** Bland–Altman panels side by side: difference against mean, bias (solid) and limits of agreement (dashed). */
export function blandAltmanChart(panels: readonly AgreementPanel[], title: string, subtitle?: readonly string[]): TopLevelSpec {
  return { $schema: VEGA_LITE_SCHEMA, config: CHART_CONFIG, title: header(title, subtitle), hconcat: panels.map(blandAltmanPanel) };
}

/** Model against reference panels side by side, each with the identity line (dashed) on equal axes. */
export function identityScatterChart(panels: readonly AgreementPanel[], title: string, subtitle?: readonly string[]): TopLevelSpec {
  return { $schema: VEGA_LITE_SCHEMA, config: CHART_CONFIG, title: header(title, subtitle), hconcat: panels.map(identityPanel) };
}
