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
