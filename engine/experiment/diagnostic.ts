import * as path from 'path';

/**
 * A problem in an experiment, pinned to the place a user has to edit. Loading collects every
 * diagnostic it can find and reports them together, so one run of `cardigan validate` shows them all.
 *
 * The printed form is part of the user interface and pinned word for word in golden tests:
 *
 *     experiments/x.yaml:12:9 error: unknown node type "train-unte" — did you mean "train-unet"?
 *       12 |     type: train-unte
 *          |           ^~~~~~~~~~
 *          = hint: ...
 */
export interface Diagnostic {
  /**
   * Absolute path of the file, or `--set` for a command-line override (then `line` is the override's
   * 1-based position among the `--set` options and `col` a column inside it).
   */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  message: string;
  /** What to do about it, when the message alone does not say. */
  hint?: string;
  /** Characters to underline from `col` (1 when unknown). */
  length?: number;
  /** The text of `line`, shown under the message with a caret. */
  sourceLine?: string;
  /** A warning is printed but refuses nothing; absent: an error. */
  severity?: 'warning';
}

/** The file name as a user would type it: relative to `cwd` when inside it. */
export function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export function formatDiagnostic(diagnostic: Diagnostic, cwd: string): string {
  const { line, col } = diagnostic;
  const lines = [`${displayPath(diagnostic.file, cwd)}:${line}:${col} ${diagnostic.severity ?? 'error'}: ${diagnostic.message}`];
  const gutter = ' '.repeat(String(line).length);
  if (diagnostic.sourceLine !== undefined) {
    const text = diagnostic.sourceLine.replace(/\t/g, ' ');
    const start = Math.min(col - 1, text.length);
    const underline = Math.max(1, Math.min(diagnostic.length ?? 1, text.length - start));
    lines.push(`  ${line} | ${text}`.trimEnd());
    lines.push(`  ${gutter} | ${' '.repeat(start)}^${'~'.repeat(underline - 1)}`);
  }
  if (diagnostic.hint !== undefined) lines.push(`  ${gutter} = hint: ${diagnostic.hint}`);
  return lines.join('\n');
}

/** Command-line overrides come after every file position. */
function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  const aSet = a.file === '--set';
  const bSet = b.file === '--set';
  if (aSet !== bSet) return aSet ? 1 : -1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.col - b.col;
}

/**
 * Sorted by position, with exact repeats removed: one bad value shared by every node of a matrix
 * group is one mistake, reported once.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const id = `${d.file}\0${d.line}\0${d.col}\0${d.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return unique.sort(compareDiagnostics);
}

/** The text of the UserError thrown for an invalid experiment: a header, then every diagnostic. */
export function formatInvalidExperiment(file: string, diagnostics: readonly Diagnostic[], cwd: string): string {
  const sorted = sortDiagnostics(diagnostics);
  const count = sorted.length === 1 ? '1 error' : `${sorted.length} errors`;
  const header = `${displayPath(file, cwd)} is not a valid experiment (${count}):`;
  return [header, ...sorted.map((d) => formatDiagnostic(d, cwd))].join('\n\n');
}
