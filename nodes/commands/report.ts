import { CACHE_OPTIONS, type Command, type CommandSpec, EXPERIMENT_OPTIONS, parseCommandArgs, usageText } from '../../engine/cli';
import { describeWrittenReport, loadForCommand, writeReport } from '../../engine/cli/reporting';

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
 * HTML file that opens offline. Reads the cache; runs and changes nothing. (`cardigan run` writes the
 * same page after running when the experiment sets `report:`.)
 */
export const command: Command = {
  name: SPEC.command,
  summary: SPEC.summary,
  usage: usageText(SPEC),
  async run(args, program) {
    const { positionals, values } = parseCommandArgs(SPEC, args);
    const { experiment, registry } = await loadForCommand(positionals[0], values.set, program);
    const written = await writeReport(experiment, registry, values.cache, values.out, program.buildReport);
    process.stdout.write(`${describeWrittenReport(written)}\n`);
    return 0;
  },
};
