import { shortKey } from '../../engine';
import type { NodeSource } from '../../engine/cli/reporting';
import { anchorId, html, type Html } from './html';

/**
 * Where a number comes from: the node, its type and version, its key, and the run, backend and time
 * that computed it. Every section that shows numbers carries this line.
 */

/** `2025-06-01 12:03 UTC` (times in the cache are ISO 8601 UTC). */
export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || Number.isNaN(Date.parse(iso))) return '?';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds - 60 * minutes)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function nodeAnchor(id: string): string {
  return anchorId('node', id);
}

export function nodeLink(id: string): Html {
  return html`<a href="#${nodeAnchor(id)}"><code>${id}</code></a>`;
}

/**
 * One line: `table1.csv of node x (evaluate v2) · key 3f2a9c1d4e · computed 2025-06-01 12:03 UTC on
 * wasm in 12 s · run …`. Inside the node's own section the node is named by the heading: `file`
 * undefined and `inSection` true leave it out.
 */
export function provenanceLine(source: NodeSource, file?: string, inSection = false): Html {
  const { node, entry } = source;
  const version = entry === undefined ? '' : ` v${entry.version}`;
  const what = inSection
    ? html`${node.type}${version}`
    : html`${file === undefined ? '' : html`<code>${file}</code> of `}node ${nodeLink(node.id)} (${node.type}${version})`;
  if (entry === undefined) return html`<p class="provenance">${what} · not run yet</p>`;
  const p = entry.provenance;
  return html`<p class="provenance">${what} · key <code title="${entry.key}">${shortKey(entry.key)}</code> · computed ${formatTime(p.finishedAt)} on ${p.backend} in ${formatSeconds(p.seconds)}${p.resumedFromCheckpoint ? ' (resumed from a checkpoint)' : ''} · run <code>${p.runId}</code></p>`;
}
