import { CACHE_OPTIONS, type CommandSpec, EXPERIMENT_OPTIONS, EXPERIMENT_POSITIONAL, parseCommandArgs } from '../args';
import { checkClaims } from '../../claims/check';
import { renderCheck } from '../../claims/render';
import { checkExitCode } from '../../claims/verdict';
import { defineCommand } from '../command';
import { UserError } from '../../errors';
import { displayPath } from '../../experiment/diagnostic';
import { readReportSource } from '../../run/report-source';
import { loadForCommand } from './load';

const OPTIONS = { ...CACHE_OPTIONS, ...EXPERIMENT_OPTIONS } as const;

const SPEC = {
  command: 'check',
  summary: "decide the experiment's claims from the cached results (runs nothing)",
  positionals: [EXPERIMENT_POSITIONAL],
  options: OPTIONS,
  details: `Reads the results the cache holds under the experiment's current keys (as "plan" and "report"
do) and prints, for each entry of the experiment's claims:
  supported     the paired test is significant at the claim's alpha and the difference goes its way
                (for ≈: the difference is within the margin)
  contradicted  the paired test is significant and the difference goes the other way
  inconclusive  too few seeds, a test that is not significant (with p and n), or nothing to decide from
then a one-line verdict.

Exit codes: 0 every claim is supported; 1 some claim is not; 2 results are missing (it names the
nodes to run).`,
} satisfies CommandSpec<typeof OPTIONS>;

/** `cardigan check <experiment.yaml> [--cache DIR] [--set ...]`. */
export const command = defineCommand(SPEC, async (args, program) => {
  const { positionals, values } = parseCommandArgs(SPEC, args);
  const { experiment, registry } = await loadForCommand(positionals[0], values.set, program);
  const shown = displayPath(experiment.file, process.cwd());
  if (experiment.claims === undefined) throw new UserError(`${shown} has no claims: add a \`claims:\` list (README, "Claims")`);
  if (program.claims === undefined) throw new UserError('this program cannot check claims (Program.claims)');
  const source = await readReportSource(experiment, registry, values.cache);
  const checked = await checkClaims(source, program.claims());
  process.stdout.write(renderCheck(checked) + '\n');
  return checkExitCode(checked.map((c) => c.outcome));
});
