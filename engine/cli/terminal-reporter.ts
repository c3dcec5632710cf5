import { unreachable } from '../errors';
import { describeBackend } from '../compute/backend';
import type { NodeSummary, RunEvent } from '../run/events';
import { shortKey } from '../keys/key';
import { describeWrittenReport } from '../run/report-output';
import type { ProgressUpdate } from '../node-api';

import type { Output, Reporter } from './reporter';

interface Running {
  startedAt: number;
  progress: ProgressUpdate | undefined;
  /** When a plain-mode progress line was last printed for this node. */
  printedAt: number;
}

/** Plain progress lines are printed at most this often per node when the output is not a terminal. */
const PLAIN_PROGRESS_INTERVAL_MS = 5000;

/**
 * A line per node state change (cached, running, done, failed, blocked, interrupted) with elapsed
 * time. On a terminal, running nodes also get a live footer, redrawn in place, with elapsed time and
 * a progress bar for nodes that report progress (epochs). Elsewhere (CI logs, pipes) the footer is
 * replaced by occasional plain progress lines.
 */
export class TerminalReporter implements Reporter {
  private readonly running = new Map<string, Running>();
  private footerLines = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly output: Output,
    private readonly live: boolean,
  ) {}

  report(event: RunEvent): void {
    switch (event.type) {
      case 'run-start':
        this.line(
          `cardigan: ${event.experiment} — ${event.selected} of ${event.nodes} nodes selected, ${event.jobs} jobs${event.executor === 'inprocess' ? '' : ` (${event.executor})`}, cache ${event.cache}`,
        );
        break;
      case 'orphans-removed':
        this.line(`removed ${event.folders.length} unfinished entr${event.folders.length === 1 ? 'y' : 'ies'} left by killed runs`);
        break;
      case 'entry-invalid':
        this.state(
          'damaged',
          event.node,
          `${shortKey(event.key)} entry failed verification, recomputing: ${event.problems.slice(0, 3).join('; ')}${event.problems.length > 3 ? ` (+${event.problems.length - 3} more)` : ''}`,
        );
        break;
      case 'node-cached':
        this.state('cached', event.node, shortKey(event.key));
        break;
      case 'node-waiting':
        this.state(
          'waiting',
          event.node,
          event.holder === null ? 'another run holds its lock' : `pid ${event.holder.pid} on ${event.holder.host} is computing it`,
        );
        break;
      case 'lock-broken':
        this.state('unlocked', event.node, `removed the stale lock of pid ${event.holder.pid} on ${event.holder.host}`);
        break;
      case 'backend':
        this.line(describeBackend(event.backend).join('\n'));
        break;
      case 'node-start':
        this.running.set(event.node, { startedAt: Date.now(), progress: undefined, printedAt: 0 });
        if (!this.live) this.state('running', event.node, event.checkpoint ? 'resuming from checkpoint' : '');
        else if (event.checkpoint) this.state('resuming', event.node, 'from checkpoint');
        this.redraw();
        break;
      case 'node-queued':
        // A running job's worker says so itself (node-start) once it has the key's lock.
        if (event.state === 'RUNNING') break;
        this.state(event.state.toLowerCase(), event.node, event.reason === '' || event.reason === 'None' ? '' : event.reason);
        break;
      case 'node-progress': {
        const running = this.running.get(event.node);
        if (running === undefined) break;
        running.progress = event;
        if (this.live) {
          this.redraw();
        } else if (Date.now() - running.printedAt >= PLAIN_PROGRESS_INTERVAL_MS || event.done >= event.total) {
          running.printedAt = Date.now();
          this.state(
            'progress',
            event.node,
            `${countText(event.done)}/${event.total}${event.unit === undefined ? '' : ` ${event.unit}`}${event.message === undefined ? '' : `  ${event.message}`}`,
          );
        }
        break;
      }
      case 'node-log':
        this.line(`  [${event.node}] ${event.message}`);
        break;
      case 'node-warning':
        this.line(`warning: ${event.message}`);
        break;
      case 'node-done':
        this.running.delete(event.node);
        this.state('done', event.node, shortKey(event.key), event.seconds);
        break;
      case 'node-failed':
        this.running.delete(event.node);
        this.state('failed', event.node, event.error.split('\n')[0], event.seconds);
        break;
      case 'node-blocked':
        this.state('blocked', event.node, `needs ${event.by.join(', ')}`);
        break;
      case 'node-interrupted':
        this.running.delete(event.node);
        this.state('interrupted', event.node, '');
        break;
      case 'interrupt':
        this.line(`${event.signal}: stopping running nodes and writing the run record (press Ctrl-C again to quit at once)`);
        break;
      case 'run-end':
        this.running.clear();
        this.line(summaryTable(event.nodes, event.seconds, event.record));
        break;
      case 'report':
        this.line(describeWrittenReport(event));
        break;
      default:
        unreachable(event);
    }
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.clearFooter();
  }

  private state(state: string, node: string, detail: string, seconds?: number): void {
    const time = seconds === undefined ? '' : formatSeconds(seconds);
    this.line(`  ${state.padEnd(11)} ${time.padStart(7)}  ${node}${detail === '' ? '' : `  ${detail}`}`);
  }

  /** Writes a permanent line above the live footer. */
  private line(text: string): void {
    this.clearFooter();
    this.output.write(text + '\n');
    this.drawFooter();
  }

  private redraw(): void {
    if (!this.live) return;
    this.clearFooter();
    this.drawFooter();
  }

  private clearFooter(): void {
    if (this.footerLines > 0) this.output.write('\x1b[1A\x1b[2K'.repeat(this.footerLines));
    this.footerLines = 0;
  }

  private drawFooter(): void {
    if (!this.live) return;
    if (this.running.size === 0) {
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    // Elapsed times tick even when no event arrives; unref so the timer never keeps the process alive.
    this.timer ??= setInterval(() => this.redraw(), 250).unref();
    const width = Math.max(40, (this.output.columns ?? 100) - 1);
    const lines = [...this.running].map(([node, running]) => footerLine(node, running, width));
    this.output.write(lines.map((text) => text + '\n').join(''));
    this.footerLines = lines.length;
  }
}

function footerLine(node: string, running: Running, width: number): string {
  const elapsed = formatSeconds((Date.now() - running.startedAt) / 1000);
  let text = `  ${'running'.padEnd(11)} ${elapsed.padStart(7)}  ${node}`;
  const progress = running.progress;
  if (progress !== undefined && progress.total > 0) {
    const fraction = Math.min(1, Math.max(0, progress.done / progress.total));
    const cells = 20;
    const filled = Math.round(fraction * cells);
    text += `  ▕${'█'.repeat(filled)}${'░'.repeat(cells - filled)}▏ ${countText(progress.done)}/${progress.total}${progress.unit === undefined ? '' : ` ${progress.unit}`}`;
    if (progress.message !== undefined) text += `  ${progress.message}`;
  }
  return text.length > width ? text.slice(0, width - 1) + '…' : text;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** The closing table: counts, then every node that did something other than come from the cache. */
export function summaryTable(nodes: NodeSummary[], seconds: number, record: string): string {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.status, (counts.get(node.status) ?? 0) + 1);
  const order = ['done', 'cached', 'failed', 'blocked', 'interrupted', 'skipped'];
  const tally = order
    .filter((status) => counts.has(status))
    .map((status) => `${counts.get(status)} ${status}`)
    .join(', ');
  const lines = [`summary: ${tally} in ${formatSeconds(seconds)}`];
  const notable = nodes.filter((node) => node.status !== 'cached' && node.status !== 'skipped');
  if (notable.length === 0) {
    lines.push(`  nothing to compute: every selected node came from the cache`);
  } else {
    const idWidth = Math.max(4, ...notable.map((node) => node.node.length));
    lines.push(`  ${'node'.padEnd(idWidth)}  ${'status'.padEnd(11)}  ${'time'.padStart(7)}  ${'key'.padEnd(10)}  detail`);
    for (const node of notable) {
      const time = node.seconds === null ? '' : formatSeconds(node.seconds);
      const key = node.key === null ? '' : shortKey(node.key);
      lines.push(
        `  ${node.node.padEnd(idWidth)}  ${node.status.padEnd(11)}  ${time.padStart(7)}  ${key.padEnd(10)}  ${(node.detail ?? '').split('\n')[0]}`.trimEnd(),
      );
    }
  }
  lines.push(`run record: ${record}`);
  return lines.join('\n');
}

/** Progress counts may be fractional (an epoch part-way through): one decimal is enough to read. */
function countText(done: number): string {
  return Number.isInteger(done) ? String(done) : done.toFixed(1);
}
