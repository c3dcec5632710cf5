import { promises as fs } from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../fs-atomic';
import type { NodeRegistry } from '../registry';
import { type ReportSource, readReportSource } from './report-source';
import { pageStamp, reportStamp, stampedPage } from './report-stamp';
import type { ResolvedExperiment } from '../experiment/resolved';

/**
 * Writes an experiment's report: the engine gathers what the cache holds (report-source.ts) and the
 * program's report builder (engine/cli/program.ts), supplied by the nodes layer, turns it into the page. Shared by
 * `cardigan report` and by `cardigan run` for an experiment that sets `report:`.
 */

/**
 * Turns what the cache holds for an experiment into one HTML page. The engine knows how to gather the
 * source and where to write the page; what the page shows is domain work, supplied from outside.
 */
export type ReportBuilder = (source: ReportSource) => Promise<string>;

export interface WrittenReport {
  /** Absolute path of the page. */
  file: string;
  nodes: number;
  /** Nodes whose results are in the cache under their current key. */
  withResults: number;
  /** The page already showed exactly this (report-stamp.ts), so it was left as it was. */
  unchanged?: true;
}

export async function writeReport(
  experiment: ResolvedExperiment,
  registry: NodeRegistry,
  cacheRoot: string,
  out: string,
  build: ReportBuilder | undefined,
): Promise<WrittenReport> {
  if (build === undefined) throw new Error('this program has no report builder (Program.buildReport)');
  const source = await readReportSource(experiment, registry, cacheRoot);
  const file = path.resolve(out);
  const written: WrittenReport = { file, nodes: source.nodes.length, withResults: source.nodes.filter((n) => n.entry !== undefined).length };
  const stamp = reportStamp(source, process.cwd());
  if ((await pageStamp(file)) === stamp) return { ...written, unchanged: true };
  await fs.mkdir(path.dirname(file), { recursive: true });
  // Replaced whole: a browser reloading the page never sees half of it.
  await writeFileAtomic(file, stampedPage(await build(source), stamp));
  return written;
}

/** `report: quickstart-report.html (16 of 16 nodes with results)`, the path relative to the working directory when inside it. */
export function describeWrittenReport(report: WrittenReport): string {
  const shown = path.relative(process.cwd(), report.file);
  return `report: ${shown.startsWith('..') || path.isAbsolute(shown) ? report.file : shown} (${report.withResults} of ${report.nodes} nodes with results${report.unchanged === true ? '; unchanged' : ''})`;
}
