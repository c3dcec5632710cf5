import type { ReportSource } from '../../engine/cli/reporting';
import type { Findings } from './findings';
import { html, type Html } from './html';
import { formatSeconds, formatTime, nodeLink, provenanceLine } from './provenance';
import { clinicalHtml } from './clinical-section';
import { headlineLines, table1Html } from './table1-section';

/** The top of the page, read first: the summary, then Table 1. */

/** The node type that writes Table 1 (to say "not run yet" when none of its nodes has results). */
const TABLE1_NODE_TYPE = 'evaluate';

function listIds(ids: readonly string[]): Html {
  return html`${ids.map((id, i) => html`${i > 0 ? ', ' : ''}${nodeLink(id)}`)}`;
}

export function table1SectionHtml(source: ReportSource, findings: Findings): Html {
  const parts: Html[] = [];
  const several = findings.tables.length + findings.tableFallbacks.length > 1;
  for (const { source: from, file, table } of findings.tables) {
    parts.push(
      html`${several ? html`<h3>From ${nodeLink(from.node.id)}</h3>` : ''}${table1Html(table)}${provenanceLine(from, file)}${table.problems.map((p) => html`<p class="note">${p}</p>`)}`,
    );
  }
  for (const { source: from, file, body, problems } of findings.tableFallbacks) {
    parts.push(
      html`${several ? html`<h3>From ${nodeLink(from.node.id)}</h3>` : ''}${problems.map((p) => html`<p class="note">${p}; showing the Markdown table instead.</p>`)}${body}${provenanceLine(from, file)}`,
    );
  }
  if (parts.length === 0) {
    const evaluators = source.nodes.filter((n) => n.node.type === TABLE1_NODE_TYPE).map((n) => n.node.id);
    parts.push(
      evaluators.length > 0
        ? html`<p class="missing"><strong>Not run yet:</strong> ${listIds(evaluators)} (${TABLE1_NODE_TYPE}) has no results in the cache.</p>`
        : html`<p class="missing"><strong>Not run yet:</strong> no node of this experiment has written <code>table1.csv</code> (an <code>${TABLE1_NODE_TYPE}</code> node does).</p>`,
    );
  }
  return html`<section id="table1"><h2>Table 1</h2><p class="lead">Segmentation of the test set: ours on the first lines of each model, the paper's in italics beneath.</p>${parts}</section>`;
}

/** The clinical indices of every node that wrote clinical.csv; nothing when none did. */
export async function clinicalSectionHtml(findings: Findings): Promise<Html> {
  if (findings.clinical.length === 0) return html``;
  const several = findings.clinical.length > 1;
  const parts: Html[] = [];
  for (const { source: from, file, table, labels } of findings.clinical) {
    const body = await clinicalHtml(table, (id) => labels[id] ?? id);
    parts.push(html`${several ? html`<h3>From ${nodeLink(from.node.id)}</h3>` : ''}${body}${provenanceLine(from, file)}`);
  }
  return html`<section id="clinical"><h2>Clinical indices</h2><p class="lead">What a clinician reads first: the LV volumes and ejection fraction from each model's masks against the ground truth's, as the CAMUS benchmark reports them.</p>${parts}</section>`;
}

function runLine(source: ReportSource): Html {
  const run = source.lastRun;
  if (run === null) return html`no <code>cardigan run</code> of this experiment is recorded in this cache`;
  const backend = run.backend === null ? 'every node from the cache' : `backend ${run.backend.name}`;
  return html`<code>${run.id}</code>: <span class="outcome ${run.outcome}">${run.outcome}</span>, finished ${formatTime(run.finishedAt)} after ${formatSeconds(run.seconds)}; ${backend}; cardigan ${run.versions.cardigan}, tfjs ${run.versions.tfjs}, Node ${run.versions.node}`;
}

function fixed(value: number | null): string {
  return value === null ? '–' : value.toFixed(2);
}

export function summarySectionHtml(source: ReportSource, findings: Findings): Html {
  const withResults = source.nodes.filter((n) => n.entry !== undefined);
  const failed = source.nodes.filter((n) => n.entry === undefined && n.lastRun?.status === 'failed').map((n) => n.node.id);
  const missing = source.nodes.filter((n) => n.entry === undefined && n.lastRun?.status !== 'failed').map((n) => n.node.id);
  const rows: Html[] = [
    html`<tr><th>Last run</th><td>${runLine(source)}</td></tr>`,
    html`<tr><th>Results</th><td>${withResults.length} of ${source.nodes.length} node(s) have results in the cache${failed.length > 0 ? html`; <span class="failed-text">failed</span>: ${listIds(failed)}` : ''}${missing.length > 0 ? html`; not run yet: ${listIds(missing)}` : ''}</td></tr>`,
  ];
  for (const { source: from, table } of findings.tables) {
    const lines = headlineLines(table);
    if (lines.length > 0)
      rows.push(
        html`<tr><th>Table 1</th><td>${lines.map((line) => html`${line}<br>`)}<span class="note">from ${nodeLink(from.node.id)}; <a href="#table1">full table</a></span></td></tr>`,
      );
  }
  for (const { source: from, report } of findings.gaps) {
    const lines = report.comparisons.map(
      (c) =>
        `${c.dataset} vs ${report.reference}: precision ${fixed(c.precision)}, recall ${fixed(c.recall)}, density ${fixed(c.density)}, coverage ${fixed(c.coverage)}`,
    );
    rows.push(
      html`<tr><th>Gap (${report.features})</th><td>${lines.map((line) => html`${line}<br>`)}<span class="note">trustworthiness ${fixed(report.trustworthiness)}; from ${nodeLink(from.node.id)}</span></td></tr>`,
    );
  }
  for (const { source: from, kept, total } of findings.filters) {
    rows.push(
      html`<tr><th>Mask filter</th><td>kept ${kept} of ${total} masks (${total === 0 ? '–' : `${((100 * kept) / total).toFixed(1)} %`}); <span class="note">from ${nodeLink(from.node.id)}</span></td></tr>`,
    );
  }
  return html`<section id="summary"><h2>Summary</h2><table class="summary">${rows}</table></section>`;
}
