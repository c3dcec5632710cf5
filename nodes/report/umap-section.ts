import { parse } from 'csv-parse/sync';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { ArtifactFolder } from './artifact-folder';
import { ARTIFACT_NAMES } from './artifact-names';
import { fileDataUri, imageType } from './data-uri';
import { html, trusted, type Html } from './html';
import type { ViewerData } from './viewer-script';

/**
 * The umap node's results for one feature kind: the numbers (k-NN precision, recall, density and
 * coverage of each dataset against the reference; trustworthiness), its scatter (SVG), and for
 * three components an interactive 3-D view of the same coordinates.
 */

export interface GapComparison {
  dataset: string;
  precision: number | null;
  recall: number | null;
  density: number | null;
  coverage: number | null;
}

export interface GapReport {
  features: string;
  dimensions: number | null;
  downsample: number | null;
  reference: string;
  k: number | null;
  comparisons: GapComparison[];
  trustworthiness: number | null;
}

/** The same palette as the charts (vega's tableau10), in legend order, so the 3-D colours match the scatter's. */
export const GROUP_COLOURS = ['#4c78a8', '#f58518', '#e45756', '#72b7b2', '#54a24b', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];
/** Points drawn in the 3-D view at most (evenly spaced through the file): a canvas stays responsive. */
export const MAX_VIEWER_POINTS = 2000;

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function text(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** gap-metrics.json, read field by field: a missing or mistyped field shows as `–`, not as an error. */
export function readGapReport(json: string): GapReport {
  const value = JSON.parse(json) as Record<string, unknown>;
  const comparisons = Array.isArray(value.comparisons) ? (value.comparisons as Record<string, unknown>[]) : [];
  const trust = value.trustworthiness;
  return {
    features: text(value.features, '?'),
    dimensions: num(value.dimensions),
    downsample: num(value.downsample),
    reference: text(value.reference, '?'),
    k: num(value.k),
    comparisons: comparisons.map((c) => ({
      dataset: text(c.dataset, '?'),
      precision: num(c.precision),
      recall: num(c.recall),
      density: num(c.density),
      coverage: num(c.coverage),
    })),
    trustworthiness: typeof trust === 'object' && trust !== null ? num((trust as Record<string, unknown>).value) : num(trust),
  };
}

/**
 * The coordinates CSV (dataset, id, umap1, umap2, umap3) as viewer data, or undefined when it has
 * fewer than 3 axes. Groups are coloured in the scatter's legend order: the reference first, then
 * the others as they appear.
 */
export function viewerData(csv: string, reference?: string, maxPoints = MAX_VIEWER_POINTS): ViewerData | undefined {
  const rows = parse(csv, { bom: true, skip_empty_lines: true, columns: true }) as Record<string, string>[];
  if (rows.length === 0) return undefined;
  const axes = ['umap1', 'umap2', 'umap3'];
  if (!axes.every((axis) => axis in rows[0])) return undefined;
  const groups: string[] = reference !== undefined && rows.some((row) => row.dataset === reference) ? [reference] : [];
  const picked: [number, number, number, number][] = [];
  const count = Math.min(rows.length, maxPoints);
  for (let j = 0; j < count; j++) {
    const row = rows[Math.floor((j * rows.length) / count)];
    let group = groups.indexOf(row.dataset);
    if (group < 0) group = groups.push(row.dataset) - 1;
    picked.push([Number(row.umap1), Number(row.umap2), Number(row.umap3), group]);
  }
  const finite = picked.filter((p) => p.slice(0, 3).every(Number.isFinite));
  const lo = [0, 1, 2].map((d) => Math.min(...finite.map((p) => p[d])));
  const hi = [0, 1, 2].map((d) => Math.max(...finite.map((p) => p[d])));
  const half = Math.max(...[0, 1, 2].map((d) => (hi[d] - lo[d]) / 2)) || 1;
  const points = finite.map((p): [number, number, number, number] => [
    ...([0, 1, 2].map((d) => Number(((p[d] - (lo[d] + hi[d]) / 2) / half).toFixed(4))) as [number, number, number]),
    p[3],
  ]);
  return { groups, colours: groups.map((_, i) => GROUP_COLOURS[i % GROUP_COLOURS.length]), points };
}

function fixed(value: number | null): string {
  return value === null ? '–' : value.toFixed(3);
}

function metricsTable(report: GapReport): Html {
  const rows = report.comparisons.map(
    (c) =>
      html`<tr><th scope="row">${c.dataset}</th><td class="num">${fixed(c.precision)}</td><td class="num">${fixed(c.recall)}</td><td class="num">${fixed(c.density)}</td><td class="num">${fixed(c.coverage)}</td></tr>`,
  );
  return html`<table class="compact"><thead><tr><th>vs <code>${report.reference}</code></th><th title="share of its points inside a reference k-NN ball (fidelity)">precision</th><th title="share of reference points inside one of its k-NN balls (diversity)">recall</th><th title="reference balls per point, divided by k; ~1 when the sets match">density</th><th title="share of reference points whose ball holds one of its points">coverage</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function viewerHtml(data: ViewerData, label: string, id: string): Html {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const legend = data.groups.map((g, i) => html`<span class="swatch" style="background:${data.colours[i]}"></span>${g} `);
  return html`<figure class="viewer"><canvas class="umap3d" width="440" height="400" data-source="${id}" aria-label="${label}"></canvas><script type="application/json" id="${id}">${trusted(json)}</script><figcaption>${legend}<br>Drag to rotate (${data.points.length} points).</figcaption></figure>`;
}

/** One feature kind's folder of the umap output (e.g. `masks/`), holding gap-metrics.json; `viewerId` is unique in the page. */
export async function umapHtml(folder: ArtifactFolder, dir: string, viewerId: string): Promise<{ body: Html; report: GapReport }> {
  const at = (name: string): string => (dir === '.' ? name : `${dir}/${name}`);
  const metricsFile = folder.get(at(ARTIFACT_NAMES.gapMetrics));
  if (metricsFile === undefined) throw new Error(`internal: no gap metrics in ${dir}`);
  folder.claim(metricsFile);
  const report = readGapReport(await fs.readFile(metricsFile.abs, 'utf8'));
  const parts: Html[] = [];
  const scatter = folder.get(at(`${ARTIFACT_NAMES.umapScatter}.svg`)) ?? folder.get(at(`${ARTIFACT_NAMES.umapScatter}.png`));
  if (scatter !== undefined) {
    folder.claim(folder.get(at(`${ARTIFACT_NAMES.umapScatter}.svg`)));
    folder.claim(folder.get(at(`${ARTIFACT_NAMES.umapScatter}.png`)));
    parts.push(
      html`<figure class="chart"><img alt="UMAP scatter of ${report.features}" src="${await fileDataUri(scatter.abs, imageType(scatter.rel) as string)}"></figure>`,
    );
  }
  const coordinates = folder.get(at(ARTIFACT_NAMES.umapCoordinates));
  if (coordinates !== undefined) {
    const data = viewerData(await fs.readFile(coordinates.abs, 'utf8'), report.reference);
    if (data !== undefined) parts.push(viewerHtml(data, `3-D UMAP of ${report.features}`, viewerId));
  }
  const about = [
    report.downsample === null ? '' : `${report.downsample}×${report.downsample}`,
    report.dimensions === null ? '' : `${report.dimensions} dimensions`,
    report.k === null ? '' : `k = ${report.k}`,
    report.trustworthiness === null ? '' : `trustworthiness ${report.trustworthiness.toFixed(3)}`,
  ].filter((s) => s !== '');
  const body = html`<h4>UMAP of ${report.features}${path.posix.basename(dir) === report.features || dir === '.' ? '' : html` (<code>${dir}</code>)`}</h4><p class="note">${about.join(' · ')}</p>${metricsTable(report)}<div class="figures">${parts}</div>`;
  return { body, report };
}
