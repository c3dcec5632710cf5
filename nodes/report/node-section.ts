import { promises as fs } from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import type { NodeSource } from '../../engine/cli/reporting';
import { ArtifactFolder, formatBytes } from './artifact-folder';
import { readClinicalCsv } from './clinical-read';
import { ARTIFACT_NAMES, MARKDOWN_EXTENSION } from './artifact-names';
import { curvesHtml, timingsHtml } from './curves-section';
import type { Findings } from './findings';
import { galleryHtml, GALLERY_LIMITS, type Budget } from './gallery';
import { anchorId, html, type Html } from './html';
import { renderMarkdownFile } from './markdown';
import { nodeAnchor, nodeLink, provenanceLine } from './provenance';
import { readTable1Csv } from './table1-read';
import { umapHtml } from './umap-section';

/**
 * One node's section: what it is (type, params, inputs), where its results come from (provenance),
 * and everything its outputs hold that a reader can look at, port by port. A node without results
 * says so ("not run yet", or why its last run failed) instead of failing the report.
 */

/** Files listed per output at most; the rest are counted. */
const MAX_LISTED_FILES = 40;

export function statusBadge(source: NodeSource): Html {
  if (source.entry !== undefined) return html`<span class="badge done">results in the cache</span>`;
  if (source.lastRun?.status === 'failed') return html`<span class="badge failed">failed</span>`;
  return html`<span class="badge missing">not run yet</span>`;
}

function missingHtml(source: NodeSource): Html {
  const last = source.lastRun;
  const upstream = source.state === 'blocked' ? ' It needs results of upstream nodes that are not in the cache either.' : '';
  if (last?.status === 'failed') {
    return html`<div class="missing"><p><strong>Not run yet:</strong> it failed in the last run (<code>${last.runId}</code>):</p><pre class="error">${last.error ?? 'no message recorded'}</pre></div>`;
  }
  if (last?.status === 'blocked') {
    return html`<p class="missing"><strong>Not run yet:</strong> in the last run it waited for ${(last.blockedBy ?? []).map((id, i) => html`${i > 0 ? ', ' : ''}${nodeLink(id)}`)}, which failed.</p>`;
  }
  if (last?.status === 'interrupted')
    return html`<p class="missing"><strong>Not run yet:</strong> the last run was interrupted before it finished.${upstream}</p>`;
  return html`<p class="missing"><strong>Not run yet</strong> with its current params and inputs: <code>cardigan run</code> computes it.${upstream}</p>`;
}

function inputsHtml(source: NodeSource): Html {
  const ports = Object.entries(source.node.inputs);
  if (ports.length === 0) return html``;
  const items = ports.map(
    ([port, refs]) => html`<li><code>${port}</code> ← ${refs.map((ref, i) => html`${i > 0 ? ', ' : ''}${nodeLink(ref.nodeId)}<code>.${ref.port}</code>`)}</li>`,
  );
  return html`<ul class="inputs">${items}</ul>`;
}

function paramsHtml(source: NodeSource): Html {
  const params = source.node.params;
  if (Object.keys(params).length === 0) return html``;
  return html`<details class="params"><summary>Params (seed ${source.node.seed})</summary><pre>${stringify(params).trimEnd()}</pre></details>`;
}

function filesHtml(folder: ArtifactFolder): Html {
  if (folder.files.length === 0) return html`<p class="note">No files.</p>`;
  const total = folder.files.reduce((sum, f) => sum + f.size, 0);
  const listed = folder.files.slice(0, MAX_LISTED_FILES).map((f) => html`<tr><td><code>${f.rel}</code></td><td class="num">${formatBytes(f.size)}</td></tr>`);
  const more = folder.files.length > MAX_LISTED_FILES ? html`<tr><td colspan="2">… and ${folder.files.length - MAX_LISTED_FILES} more</td></tr>` : '';
  return html`<details class="files"><summary>${folder.files.length} file(s), ${formatBytes(total)} in <code>${folder.dir}</code></summary><table class="compact">${listed}${more}</table></details>`;
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A dataset output in one line: items, size, what it holds, where the items come from. */
async function datasetLine(folder: ArtifactFolder): Promise<Html> {
  const file = folder.get('manifest.json');
  const manifest = file === undefined ? undefined : await readJson(file.abs);
  if (manifest === undefined || manifest.format !== 'cardigan-dataset/1' || !Array.isArray(manifest.items)) return html``;
  const items = manifest.items as { source?: string; split?: string }[];
  const size = Array.isArray(manifest.size) ? (manifest.size as number[]).join('×') : '?';
  const count = (key: 'source' | 'split'): string =>
    [...items.reduce((m, item) => m.set(String(item[key] ?? '?'), (m.get(String(item[key] ?? '?')) ?? 0) + 1), new Map<string, number>())]
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return html`<p class="note">Dataset: ${items.length} item(s) of ${size}, ${manifest.hasImages === false ? 'masks only' : 'images and masks'}; source: ${count('source')}; split: ${count('split')}.</p>`;
}

async function table1Pointer(source: NodeSource, folder: ArtifactFolder, findings: Findings): Promise<Html> {
  const csv = folder.get(ARTIFACT_NAMES.table1Csv);
  const markdown = folder.get(ARTIFACT_NAMES.table1Markdown);
  if (csv === undefined && markdown === undefined) return html``;
  folder.claim(csv);
  folder.claim(markdown);
  const where = `${folder.port}/${(csv ?? markdown)?.rel}`;
  const table = csv === undefined ? undefined : readTable1Csv(await fs.readFile(csv.abs, 'utf8'), where);
  if (table !== undefined && table.rows.length > 0 && table.metrics.length > 0) {
    findings.tables.push({ source, file: where, table });
  } else if (markdown !== undefined) {
    const body = await renderMarkdownFile(folder, markdown.rel, { figureId: () => 'table1', headingShift: 3 });
    findings.tableFallbacks.push({
      source,
      file: `${folder.port}/${markdown.rel}`,
      body,
      problems: table?.problems ?? [`${ARTIFACT_NAMES.table1Csv} is missing`],
    });
  } else {
    findings.tableFallbacks.push({ source, file: where, body: html``, problems: table?.problems ?? [] });
  }
  return html`<p>This node's Table 1 is shown <a href="#table1">at the top of the page</a>.</p>`;
}

/** Model id → `dataset model` from summary.json's clinical part, when it is there and readable. */
async function clinicalLabels(folder: ArtifactFolder): Promise<Record<string, string>> {
  const file = folder.get(ARTIFACT_NAMES.evaluationSummary);
  const summary = file === undefined ? undefined : await readJson(file.abs);
  const clinical = summary?.clinical;
  const models =
    typeof clinical === 'object' && clinical !== null && 'models' in clinical && Array.isArray(clinical.models) ? (clinical.models as unknown[]) : [];
  const labels: Record<string, string> = {};
  for (const m of models) {
    if (typeof m !== 'object' || m === null) continue;
    const { id, dataset, model } = m as Record<string, unknown>;
    if (typeof id === 'string' && typeof dataset === 'string' && typeof model === 'string') labels[id] = `${dataset} ${model}`;
  }
  return labels;
}

async function clinicalPointer(source: NodeSource, folder: ArtifactFolder, findings: Findings): Promise<Html> {
  const csv = folder.get(ARTIFACT_NAMES.clinicalCsv);
  if (csv === undefined) return html``;
  folder.claim(csv);
  const file = `${folder.port}/${csv.rel}`;
  findings.clinical.push({ source, file, table: readClinicalCsv(await fs.readFile(csv.abs, 'utf8'), file), labels: await clinicalLabels(folder) });
  return html`<p>This node's clinical indices (EDV, ESV, EF) are shown <a href="#clinical">at the top of the page</a>.</p>`;
}

async function filterFinding(source: NodeSource, folder: ArtifactFolder, findings: Findings): Promise<void> {
  const file = folder.get(ARTIFACT_NAMES.filterReport);
  const report = file === undefined ? undefined : await readJson(file.abs);
  if (report?.format === 'cardigan-anatomy-filter/1' && typeof report.kept === 'number' && typeof report.total === 'number') {
    findings.filters.push({ source, kept: report.kept, total: report.total });
  }
}

/** A part that cannot be read becomes a note in its place; the rest of the page still renders. */
async function attempt(what: string, render: () => Promise<Html>): Promise<Html> {
  try {
    return await render();
  } catch (error) {
    return html`<p class="missing">Could not show ${what}: ${(error as Error).message}</p>`;
  }
}

async function portHtml(source: NodeSource, folder: ArtifactFolder, findings: Findings, budget: Budget): Promise<Html> {
  const figureId = (rel: string): string => anchorId('fig', `${source.node.id}/${folder.port}/${rel}`);
  const parts: Html[] = [
    await attempt('the dataset manifest', () => datasetLine(folder)),
    await attempt('Table 1', () => table1Pointer(source, folder, findings)),
    await attempt('the clinical indices', () => clinicalPointer(source, folder, findings)),
  ];
  await filterFinding(source, folder, findings);
  folder.claim(folder.get(ARTIFACT_NAMES.embeddingManifest));
  for (const metrics of folder.named(ARTIFACT_NAMES.gapMetrics)) {
    const dir = path.posix.dirname(metrics.rel);
    parts.push(
      await attempt(metrics.rel, async () => {
        const { body, report } = await umapHtml(folder, dir, anchorId('umap3d', `${source.node.id}/${folder.port}/${dir}`));
        findings.gaps.push({ source, report });
        return body;
      }),
    );
  }
  for (const log of folder.named(ARTIFACT_NAMES.trainingLog)) {
    folder.claim(log);
    parts.push(html`<h4>Training curves</h4>`, await attempt(log.rel, () => curvesHtml(log)));
  }
  const timings = folder.get(ARTIFACT_NAMES.trainingTimings);
  if (timings !== undefined) {
    folder.claim(timings);
    parts.push(await attempt(timings.rel, () => timingsHtml(timings)));
  }
  for (const file of folder.unclaimed().filter((f) => f.rel.toLowerCase().endsWith(MARKDOWN_EXTENSION))) {
    folder.claim(file);
    parts.push(await attempt(file.rel, () => renderMarkdownFile(folder, file.rel, { figureId, headingShift: 3 })));
  }
  parts.push(await attempt('the pictures', () => galleryHtml(folder, figureId, budget)));
  return html`<div class="port"><h4 class="port-name">Output <code>${folder.port}</code> <span class="type">${source.entry?.outputs[folder.port]?.type ?? ''}</span></h4>${parts}${filesHtml(folder)}</div>`;
}

/** `pageBudget`: bytes of pictures the rest of the page may still inline; this section takes its share from it. */
export async function nodeSectionHtml(source: NodeSource, findings: Findings, pageBudget: Budget = { bytes: GALLERY_LIMITS.bytesPerPage }): Promise<Html> {
  const { node, entry } = source;
  const head = html`<h3><code>${node.id}</code> <span class="type">${node.type}</span> ${statusBadge(source)}</h3>${provenanceLine(source, undefined, true)}${node.description === undefined ? '' : html`<p>${node.description}</p>`}${inputsHtml(source)}${paramsHtml(source)}`;
  if (entry === undefined) return html`<section class="node" id="${nodeAnchor(node.id)}">${head}${missingHtml(source)}</section>`;
  const granted = Math.min(GALLERY_LIMITS.bytesPerNode, pageBudget.bytes);
  const budget: Budget = { bytes: granted };
  const ports: Html[] = [];
  for (const [port, output] of Object.entries(entry.outputs)) {
    let folder: ArtifactFolder;
    try {
      folder = await ArtifactFolder.read(port, output.dir);
    } catch (error) {
      ports.push(html`<p class="missing">Output <code>${port}</code> could not be read: ${(error as Error).message}</p>`);
      continue;
    }
    ports.push(await portHtml(source, folder, findings, budget));
  }
  pageBudget.bytes -= granted - budget.bytes;
  return html`<section class="node" id="${nodeAnchor(node.id)}">${head}${ports}</section>`;
}
