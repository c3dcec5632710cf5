import { promises as fs } from 'fs';
import { renderSvg, seriesFromLog, trainingCurves, type Series } from '../plot';
import type { ArtifactFile } from './artifact-folder';
import { bytesDataUri } from './data-uri';
import { html, type Html } from './html';
import { formatSeconds } from './provenance';
import { lastValue, parseTrainingLog, shortFieldName, type TrainingLog } from './training-log';

/**
 * Training curves from a `log.jsonl`: losses, validation scores and (when scheduled) learning rates
 * per epoch, drawn by the shared chart module (vega-lite → SVG), and a table of each curve's last
 * and best value, which is what a reader quotes.
 */

type Group = keyof TrainingLog['groups'];

const CHARTS: { group: Group; title: string; best: 'min' | 'max' | null }[] = [
  { group: 'losses', title: 'Losses', best: 'min' },
  { group: 'validation', title: 'Validation', best: 'max' },
  { group: 'learningRates', title: 'Learning rate', best: null },
];

function named(log: TrainingLog, fields: readonly string[]): Series[] {
  const short = fields.map(shortFieldName);
  const unique = new Set(short).size === short.length;
  return seriesFromLog(log.records, fields, { x: log.x }).map((series, i) => ({ ...series, name: unique ? short[i] : fields[i] }));
}

/** Losses of very different sizes (SPADE's hinge vs ×10 feature matching) get a panel each. */
function spreadApart(series: readonly Series[]): boolean {
  const sizes = series
    .map((s) => s.points.map(([, y]) => Math.abs(y)).sort((a, b) => a - b)[Math.floor(s.points.length / 2)])
    .filter((size): size is number => size !== undefined && size > 0);
  return sizes.length > 1 && Math.max(...sizes) / Math.min(...sizes) > 10;
}

function varies(series: readonly Series[]): boolean {
  return series.some((s) => s.points.some(([, y]) => y !== s.points[0][1]));
}

function best(series: Series, mode: 'min' | 'max'): [number, number] | undefined {
  let found: [number, number] | undefined;
  for (const point of series.points) if (found === undefined || (mode === 'min' ? point[1] < found[1] : point[1] > found[1])) found = [point[0], point[1]];
  return found;
}

function number(value: number): string {
  return Math.abs(value) >= 1000 || (Math.abs(value) < 0.001 && value !== 0) ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}

export async function curvesHtml(file: ArtifactFile): Promise<Html> {
  const log = parseTrainingLog(await fs.readFile(file.abs, 'utf8'));
  const problems =
    log.badLines.length === 0
      ? ''
      : html`<p class="note">${log.badLines.length} line(s) of <code>${file.rel}</code> could not be read (line ${log.badLines.slice(0, 5).join(', ')}${log.badLines.length > 5 ? ', …' : ''}).</p>`;
  if (log.records.length === 0) return html`<p class="missing">No epochs logged yet in <code>${file.rel}</code>.</p>${problems}`;
  const charts: Html[] = [];
  const rows: Html[] = [];
  for (const chart of CHARTS) {
    const fields = log.groups[chart.group];
    if (fields.length === 0) continue;
    const series = named(log, fields);
    if (chart.group === 'learningRates' && !varies(series)) continue;
    const spec = trainingCurves(series, { title: chart.title, xTitle: log.x, separatePanels: spreadApart(series) });
    const svg = await renderSvg(spec);
    charts.push(html`<figure class="chart"><img alt="${chart.title} per ${log.x} from ${file.rel}" src="${bytesDataUri(svg, 'image/svg+xml')}"></figure>`);
    series.forEach((s, i) => {
      const last = lastValue(log, fields[i]);
      const top = chart.best === null ? undefined : best(s, chart.best);
      rows.push(
        html`<tr><td>${chart.title}</td><td><code>${s.name}</code></td><td class="num">${last === undefined ? '–' : number(last.value)}</td><td class="num">${last === undefined ? '' : String(last.x ?? '')}</td><td class="num">${top === undefined ? '' : `${number(top[1])} (${log.x} ${top[0]})`}</td></tr>`,
      );
    });
  }
  const count = html`<p class="note"><code>${file.rel}</code>: ${log.records.length} record(s).</p>`;
  if (charts.length === 0) return html`${count}<p class="missing">No loss, validation or learning-rate fields in <code>${file.rel}</code>.</p>${problems}`;
  const table = html`<table class="compact"><thead><tr><th></th><th>series</th><th>last</th><th>at ${log.x}</th><th>best</th></tr></thead><tbody>${rows}</tbody></table>`;
  return html`<div class="charts">${charts}</div>${table}${count}${problems}`;
}

/**
 * One line from a trainer's `volatile/timings.jsonl`: how long training took and how fast it went.
 * The figures live there, not in `log.jsonl`, because they differ on every run; the line says they
 * are left out of the model's hash.
 */
export async function timingsHtml(file: ArtifactFile): Promise<Html> {
  const records = parseTrainingLog(await fs.readFile(file.abs, 'utf8')).records;
  const seconds = records.map((r) => r.seconds).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const rates = records
    .map((r) => r.imagesPerSecond)
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (seconds.length === 0) return html`<p class="missing">No epoch timings in <code>${file.rel}</code>.</p>`;
  const total = seconds.reduce((sum, s) => sum + s, 0);
  const rate = rates.length === 0 ? '' : `, median ${number(rates[Math.floor(rates.length / 2)])} images/s`;
  return html`<p class="note">Wall clock (<code>${file.rel}</code>, not part of the model's hash): ${seconds.length} epoch(s) in ${formatSeconds(total)}${rate}.</p>`;
}
