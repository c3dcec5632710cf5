import { html, type Html } from './html';
import { nodeLink } from './provenance';
import type { Cell, MetricColumn, Table1, Table1Row } from './table1-read';

/**
 * Table 1 as the paper lays it out: one block of lines per model (ED, ES, all), the paper's numbers
 * on the line beneath ours in italics, metrics grouped under Dice / HD / ASSD with endo and epi
 * beneath.
 */

const METRIC_TITLES: Record<string, { title: string; better: '↑' | '↓'; digits: number; paperDigits: number }> = {
  dice: { title: 'Dice', better: '↑', digits: 3, paperDigits: 3 },
  iou: { title: 'IoU', better: '↑', digits: 3, paperDigits: 3 },
  hd: { title: 'HD (mm)', better: '↓', digits: 2, paperDigits: 1 },
  assd: { title: 'ASSD (mm)', better: '↓', digits: 2, paperDigits: 1 },
  // Never the paper's HD: the 95th percentile of the surface distances (evaluate's hausdorff: hd95).
  hd95: { title: 'HD95 (mm)', better: '↓', digits: 2, paperDigits: 1 },
  mad: { title: 'MAD (mm)', better: '↓', digits: 2, paperDigits: 1 },
};
const SCORE_TITLES: Record<string, string> = { miou: 'mIoU', pixel_accuracy: 'Pixel acc.' };

function metricGroups(metrics: readonly MetricColumn[]): { metric: string; columns: MetricColumn[] }[] {
  const groups: { metric: string; columns: MetricColumn[] }[] = [];
  for (const column of metrics) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last.metric === column.metric) last.columns.push(column);
    else groups.push({ metric: column.metric, columns: [column] });
  }
  return groups;
}

function cellText(column: MetricColumn, cell: Cell, paper: boolean): string {
  if (cell.mean === null) return '–';
  const style = METRIC_TITLES[column.metric];
  if (paper) return cell.mean.toFixed(style.paperDigits);
  return cell.std === null ? cell.mean.toFixed(style.digits) : `${cell.mean.toFixed(style.digits)} ± ${cell.std.toFixed(style.digits)}`;
}

/** Lines of one model (same dataset, model and model id) stay together. */
function blocks(rows: readonly Table1Row[]): Table1Row[][] {
  const out: Table1Row[][] = [];
  for (const row of rows) {
    const last = out[out.length - 1];
    const same = last !== undefined && last[0].dataset === row.dataset && last[0].model === row.model && last[0].modelId === row.modelId;
    if (same) last.push(row);
    else out.push([row]);
  }
  return out;
}

function rowHtml(table: Table1, row: Table1Row, first: boolean, span: number): Html {
  const who = first
    ? html`<th scope="rowgroup" rowspan="${span}">${row.dataset}</th><td rowspan="${span}">${row.model}${row.modelId === '' ? '' : row.modelId.split(' ').map((id) => html`<br>${nodeLink(id)}`)}</td>`
    : '';
  return html`<tr class="${row.paper ? 'paper' : ''}">${who}<td>${row.paper ? 'paper' : row.phase}</td><td class="num">${row.images ?? ''}</td>${table.metrics.map(
    (m) => html`<td class="num">${cellText(m, row.values[m.key], row.paper)}</td>`,
  )}<td class="num">${row.valid === null ? '' : `${(100 * row.valid).toFixed(1)} %`}</td>${table.scores.map(
    (s) => html`<td class="num">${row.scores[s] === null ? '–' : (row.scores[s] as number).toFixed(3)}</td>`,
  )}${table.other.map((o) => html`<td>${row.other[o]}</td>`)}</tr>`;
}

export function table1Html(table: Table1): Html {
  const groups = metricGroups(table.metrics);
  const singles = ['Valid', ...table.scores.map((s) => SCORE_TITLES[s] ?? s), ...table.other];
  const head = html`<thead><tr><th rowspan="2">Training data</th><th rowspan="2">Model</th><th rowspan="2">Phase / view</th><th rowspan="2">Images</th>${groups.map(
    (g) => {
      const style = METRIC_TITLES[g.metric];
      return html`<th colspan="${g.columns.length}" title="${style.better === '↑' ? 'higher is better' : 'lower is better'}">${style.title} ${style.better}</th>`;
    },
  )}${singles.map((s) => html`<th rowspan="2">${s}</th>`)}</tr><tr>${table.metrics.map((m) => html`<th>${m.structure}</th>`)}</tr></thead>`;
  const body = blocks(table.rows).map((block) => html`<tbody>${block.map((row, i) => rowHtml(table, row, i === 0, block.length))}</tbody>`);
  return html`<div class="scroll"><table class="table1">${head}${body}</table></div>`;
}

/** The paper's number beside ours for each model's `all` line, for the summary: `0.912 (paper 0.937)`. */
export function headlineLines(table: Table1, metricKeys: readonly string[] = ['dice_endo', 'dice_epi']): string[] {
  const lines: string[] = [];
  for (const block of blocks(table.rows)) {
    const ours = block.find((r) => !r.paper && r.phase.toLowerCase() === 'all') ?? block.find((r) => !r.paper);
    if (ours === undefined) continue;
    const paper = block.find((r) => r.paper);
    const parts = metricKeys.flatMap((key) => {
      const column = table.metrics.find((m) => m.key === key);
      const mean = ours.values[key]?.mean;
      if (column === undefined || mean === null || mean === undefined) return [];
      const theirs = paper?.values[key]?.mean;
      const style = METRIC_TITLES[column.metric];
      const text = `${style.title} ${column.structure} ${mean.toFixed(style.digits)}`;
      return [theirs === null || theirs === undefined ? text : `${text} (paper ${theirs.toFixed(style.paperDigits)})`];
    });
    if (parts.length > 0) lines.push(`${ours.model} on ${ours.dataset}: ${parts.join(', ')}`);
  }
  return lines;
}
