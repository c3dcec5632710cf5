import { GRAPH_FONT } from './graph-svg';

/** The page's only stylesheet: readable type, quiet tables, the paper's lines in italics. */
export const REPORT_CSS = `
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #2f6fb3;
  --done: #1a7f37; --done-bg: #dafbe1; --failed: #cf222e; --failed-bg: #ffebe9; --missing: #6e7781; --missing-bg: #eaeef2; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
header.page { background: #24292f; color: #fff; padding: 20px 32px 16px; }
header.page h1 { margin: 0 0 4px; font-size: 24px; font-weight: 600; }
header.page p { margin: 2px 0; color: #d0d7de; }
header.page code { color: #fff; }
nav.toc { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line); padding: 8px 32px; font-size: 14px; }
nav.toc a { margin-right: 16px; color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
main { max-width: 1180px; padding: 8px 32px 48px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 20px 0 6px; }
h4 { font-size: 15px; margin: 16px 0 6px; }
h5, h6 { font-size: 14px; margin: 12px 0 4px; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em; }
pre { background: var(--soft); padding: 8px 10px; border-radius: 6px; overflow-x: auto; }
pre.error { background: var(--failed-bg); color: #82071e; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { background: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
table.table1 { font-size: 14px; }
table.table1 thead th { text-align: center; }
table.table1 tbody { border-top: 2px solid #afb8c1; }
table.table1 tbody th { font-weight: 600; }
table.table1 tr.paper td { font-style: italic; color: var(--muted); background: #fbfbfc; }
table.compact { font-size: 13px; }
table.compact td, table.compact th { padding: 2px 8px; }
table.summary th { width: 150px; color: var(--muted); font-weight: 600; }
.lead { color: var(--muted); margin-top: 0; }
.note { color: var(--muted); font-size: 13px; margin: 4px 0; }
.missing { color: var(--missing); background: var(--missing-bg); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.missing p { margin: 0 0 6px; }
.provenance { color: var(--muted); font-size: 13px; margin: 4px 0 8px; }
.nowrap { white-space: nowrap; }
.badge { white-space: nowrap; display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; vertical-align: middle; }
.badge.done { color: var(--done); background: var(--done-bg); }
.badge.failed { color: var(--failed); background: var(--failed-bg); }
.badge.missing { color: var(--missing); background: var(--missing-bg); }
.outcome.ok { color: var(--done); font-weight: 600; }
.outcome.failed, .failed-text { color: var(--failed); font-weight: 600; }
.outcome.interrupted { color: #9a6700; font-weight: 600; }
span.type { color: var(--muted); font-weight: normal; font-size: 0.85em; }
section.node { border-top: 1px solid var(--line); padding-top: 4px; margin-top: 24px; }
section.node > h3 { margin-top: 16px; }
.port { margin-left: 4px; }
h4.port-name { color: var(--muted); font-weight: 600; }
ul.inputs { margin: 4px 0; padding-left: 20px; font-size: 14px; }
details { margin: 6px 0; font-size: 14px; }
details summary { cursor: pointer; color: var(--muted); }
.figures, .charts { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
figure { margin: 8px 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
figure.picture img { image-rendering: pixelated; min-width: 96px; }
figure.chart img { border: none; }
.charts figure.chart { flex: 1 1 420px; max-width: 560px; }
.charts figure.chart img { width: 100%; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 2px; }
canvas.umap3d { border: 1px solid var(--line); border-radius: 4px; cursor: grab; background: #fff; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin: 0 4px 0 8px; }
.markdown table { font-size: 13px; }
.markdown td, .markdown th { padding: 2px 8px; }
.file-ref { text-decoration: underline dotted; }
svg.graph { max-width: 100%; height: auto; }
svg.graph .node rect { stroke-width: 1.5; }
svg.graph .node.done rect { fill: var(--done-bg); stroke: var(--done); }
svg.graph .node.failed rect { fill: var(--failed-bg); stroke: var(--failed); }
svg.graph .node.missing rect { fill: #fff; stroke: var(--missing); stroke-dasharray: 4 3; }
svg.graph a:hover rect { stroke-width: 2.5; }
svg.graph text { font-family: system-ui, "DejaVu Sans", sans-serif; text-anchor: middle; fill: var(--ink); }
svg.graph text.name { font-size: ${GRAPH_FONT.node}px; font-weight: 600; }
svg.graph text.type { font-size: ${GRAPH_FONT.node - 1}px; fill: var(--muted); }
svg.graph .edge path { fill: none; stroke: #8c959f; stroke-width: 1.4; }
svg.graph marker path { fill: #8c959f; }
svg.graph text.edge-label { font-size: ${GRAPH_FONT.edge}px; fill: var(--muted); }
svg.graph .cluster rect { fill: #f6f8fa; stroke: #d0d7de; }
svg.graph .cluster text { text-anchor: start; font-size: 12px; fill: var(--muted); font-weight: 600; }
.legend span { margin-right: 14px; font-size: 13px; }
`;
