import { type CommandSpec, type OptionSpec, usageText } from './args';
import type { NodeRegistry } from '../registry';
import type { ClaimSupport } from '../claims/evidence';
import type { ReportBuilder } from '../run/report-output';

/** One `cardigan <name>` subcommand. The engine's live in engine/cli/commands/<name>.ts, the domain's in nodes/commands/; each is loaded on demand. */
export interface Command {
  readonly name: string;
  /** One line for `cardigan --help`. */
  readonly summary: string;
  /** Full text for `cardigan <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code. Throws UserError (exit 1) or UsageError (exit 2) for bad input. */
  run(args: string[], program: Program): Promise<number>;
}

/** A command whose name, summary and help text all come from its argument spec. */
export function defineCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, run: (args: string[], program: Program) => Promise<number>): Command {
  return { name: spec.command, summary: spec.summary, usage: usageText(spec), run };
}

/** A `cardigan <name>` entry: its one-line summary (for --help, without loading it) and its loader. */
export interface CommandEntry {
  summary: string;
  load: () => Command;
}

export type CommandTable = Record<string, CommandEntry>;

/**
 * What the program that embeds the engine's CLI supplies: the engine knows nothing of the node types,
 * the domain commands or what a report shows, so it is handed them here (nodes/cardigan.ts is the
 * built-in program). Keep every member cheap: `cardigan --help` builds a Program and loads no node.
 */
export interface Program {
  /** Registers the node types every experiment may use; its `plugins:` add theirs on top. */
  registerNodes(registry: NodeRegistry): void;
  /** Turns what the cache holds into the HTML page of `cardigan report` and of an experiment's `report:`. */
  buildReport?: ReportBuilder;
  /**
   * Where a claim's metric lives in the results, for `claims:` and `cardigan check` (without it claims
   * are not checked). A loader, since every command that reads an experiment asks for its metric names.
   */
  claims?: () => ClaimSupport;
  /** Commands beyond the engine's own, listed after them in --help. */
  commands: CommandTable;
  /**
   * The module that runs this program's CLI (its `__filename`), so that `cardigan run` can start
   * `cardigan run-node` workers of the same program. Without it, nodes run in-process.
   */
  workerEntry?: string;
}
