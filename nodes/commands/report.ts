import { promises as fs } from 'fs';
import * as path from 'path';
import { CACHE_OPTIONS, EXPERIMENT_OPTIONS, parseCommandArgs, usageText, type CommandSpec } from '../../engine/args';
import type { Command } from '../../engine/command';
import { loadForCommand } from '../../engine/commands/load';
import { writeFileAtomic } from '../../engine/fs-atomic';
import { readReportSource } from '../../engine/report-source';
import { buildReport } from '../report/build-report';

const OPTIONS = {
  out: { type: 'string', value: 'report.html', default: 'report.html', description: 'the HTML file to write' },
  ...CACHE_OPTIONS,
  ...EXPERIMENT_OPTIONS,
} as const;

const SPEC = {
  command: 'report',
  summary: 'one self-contained HTML page of what the cache holds for an experiment',
  positionals: [{ name: 'experiment.yaml', description: 'the experiment file' }],
  options: OPTIONS,
} satisfies CommandSpec<typeof OPTIONS>;

/**
 * `cardigan report <experiment.yaml> [--out report.html]`: summary, Table 1, the graph, every node's
 * results (pictures, training curves, reports, UMAP and gap metrics) and their provenance, in one
 * HTML file that opens offline. Reads the cache; runs and changes nothing.
 */
export const command: Command = {
  name: SPEC.command,
  summary: SPEC.summary,
  usage: usageText(SPEC),
  async run(args) {
    const { positionals, values } = parseCommandArgs(SPEC, args);
    const { experiment, registry } = await loadForCommand(positionals[0], values.set);
    const source = await readReportSource(experiment, registry, values.cache);
    const out = path.resolve(values.out);
    await fs.mkdir(path.dirname(out), { recursive: true });
    // Replaced whole: a browser reloading the page never sees half of it.
    await writeFileAtomic(out, await buildReport(source));
    const done = source.nodes.filter((n) => n.entry !== undefined).length;
    const shown = path.relative(process.cwd(), out);
    process.stdout.write(`report: ${shown.startsWith('..') ? out : shown} (${done} of ${source.nodes.length} nodes with results)\n`);
    return 0;
  },
};
