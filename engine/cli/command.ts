import { type CommandSpec, type OptionSpec, usageText } from './args';

/** One `cardigan <name>` subcommand. Each lives in engine/commands/<name>.ts and is loaded on demand. */
export interface Command {
  readonly name: string;
  /** One line for `cardigan --help`. */
  readonly summary: string;
  /** Full text for `cardigan <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code. Throws UserError (exit 1) or UsageError (exit 2) for bad input. */
  run(args: string[]): Promise<number>;
}

/** A command whose name, summary and help text all come from its argument spec. */
export function defineCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, run: (args: string[]) => Promise<number>): Command {
  return { name: spec.command, summary: spec.summary, usage: usageText(spec), run };
}
