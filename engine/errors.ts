/**
 * Errors that reach the user. Inside the engine failures are data (Result values); at the CLI edge
 * they become one of these, which the CLI prints without a stack trace unless --verbose.
 */

/** Bad input: an experiment, a data file, a param. Exit code 1. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** The command line itself is wrong (unknown flag, missing argument). Exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function fail<E>(error: E): { ok: false; error: E } {
  return { ok: false, error };
}

/** For exhaustive switches over unions keyed by `reason`. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}

/** The first line of a thrown value's message, for one-line reasons. */
export function firstErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
