import type { ReportSource } from '../../engine/cli/reporting';
import { shortKey } from '../../engine';
import { claimsSectionHtml } from './claims-section';
import { emptyFindings } from './findings';
import { GALLERY_LIMITS } from './gallery';
import { graphSvg, type GraphNodeState } from './graph-svg';
import { html, trusted, type Html } from './html';
import { nodeSectionHtml, statusBadge } from './node-section';
import { formatSeconds, formatTime, nodeLink } from './provenance';
import { shownPath } from './shown-path';
import { REPORT_CSS } from './style';
import { clinicalSectionHtml, summarySectionHtml, table1SectionHtml } from './top-sections';
import { VIEWER_SCRIPT, zdogBundle } from './viewer-script';

/**
 * The report page, in the order a reviewer reads it: the claims (when the experiment has any), summary, Table 1, the clinical indices, the graph, one section per
 * node (in the experiment's order), and the provenance of every result. One file: pictures are data
 * URIs, the stylesheet and the 3-D viewer's script are inline, nothing is fetched.
 */

/** The page may load nothing from anywhere: pictures are data URIs, style and script are inline. */
const CONTENT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

export interface ReportOptions {
  /** Shown in the header (tests pass a fixed time). */
  generatedAt?: Date;
  /** The header's paths are shown relative to this (default: the working directory). */
  cwd?: string;
}

function graphState(source: ReportSource['nodes'][number]): GraphNodeState {
  if (source.entry !== undefined) return 'done';
  return source.lastRun?.status === 'failed' ? 'failed' : 'missing';
}

function graphSectionHtml(source: ReportSource): Html {
  const states = new Map(source.nodes.map((n) => [n.node.id, graphState(n)]));
  return html`<section id="graph"><h2>Graph</h2><p class="legend"><span class="badge done">results in the cache</span> <span class="badge failed">failed</span> <span class="badge missing">not run yet</span> <span class="note">Click a node for its section; edges are labelled with the ports they connect.</span></p><div class="scroll">${graphSvg(source.experiment, states)}</div></section>`;
}

function provenanceSectionHtml(source: ReportSource): Html {
  const rows = source.nodes.map((n) => {
    const p = n.entry?.provenance;
    return html`<tr><td>${nodeLink(n.node.id)}</td><td>${n.node.type}${n.entry === undefined ? '' : ` v${n.entry.version}`}</td><td>${statusBadge(n)}</td><td>${n.entry === undefined ? '' : html`<code title="${n.entry.key}">${shortKey(n.entry.key)}</code>`}</td><td>${p?.backend ?? ''}</td><td class="nowrap">${p === undefined ? '' : formatTime(p.finishedAt)}</td><td class="num">${p === undefined ? '' : formatSeconds(p.seconds)}</td><td>${p === undefined ? '' : html`<code>${p.runId}</code>`}</td><td>${p?.host ?? ''}</td><td class="nowrap">${p === undefined ? '' : `${p.versions.cardigan} · ${p.versions.tfjs} · ${p.versions.node}`}</td></tr>`;
  });
  return html`<section id="provenance"><h2>Provenance</h2><p class="lead">Every result above comes from the cache entry of its node: the key (hover for the full sha256) fixes the node type and version, params, seed and input contents; the rest says who computed it. Recompute any entry with <code>cardigan run --force &lt;node&gt;</code>.</p><div class="scroll"><table class="compact"><thead><tr><th>node</th><th>type</th><th>state</th><th>key</th><th>backend</th><th>computed</th><th>took</th><th>run</th><th>host</th><th>cardigan · tfjs · Node</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

export async function buildReport(source: ReportSource, options: ReportOptions = {}): Promise<string> {
  const { experiment } = source;
  const cwd = options.cwd ?? process.cwd();
  const findings = emptyFindings();
  const sections: Html[] = [];
  const pictures = { bytes: GALLERY_LIMITS.bytesPerPage };
  for (const node of source.nodes) sections.push(await nodeSectionHtml(node, findings, pictures));
  const claims = await claimsSectionHtml(source);
  const clinical = await clinicalSectionHtml(findings);
  const body = html`<header class="page"><h1>${experiment.name}</h1>${experiment.description === undefined ? '' : html`<p>${experiment.description}</p>`}<p><code>${shownPath(experiment.file, cwd)}</code> · cache <code>${shownPath(source.cacheRoot, cwd)}</code> · report made ${formatTime((options.generatedAt ?? new Date()).toISOString())}</p></header>
<nav class="toc">${claims.text === '' ? '' : html`<a href="#claims">Claims</a>`}<a href="#summary">Summary</a><a href="#table1">Table 1</a>${findings.clinical.length > 0 ? html`<a href="#clinical">Clinical</a>` : ''}<a href="#graph">Graph</a><a href="#nodes">Nodes</a><a href="#provenance">Provenance</a></nav>
<main>${claims}${summarySectionHtml(source, findings)}${table1SectionHtml(source, findings)}${clinical}${graphSectionHtml(source)}<section id="nodes"><h2>Nodes</h2>${sections}</section>${provenanceSectionHtml(source)}</main>`;
  const viewer = body.text.includes('class="umap3d"') ? html`<script>${trusted(zdogBundle())}</script><script>${trusted(VIEWER_SCRIPT)}</script>` : '';
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="cardigan report"><meta http-equiv="Content-Security-Policy" content="${CONTENT_POLICY}"><title>${experiment.name} — cardigan report</title><style>${trusted(REPORT_CSS)}</style></head>
<body>${body}${viewer}</body></html>
`;
  return page.text;
}
