/**
 * Names that end up as folder names in the cache (node ids, port names, the experiment name, matrix
 * labels inside generated ids). Checked when an experiment is validated, so that nothing downstream can
 * ever build a path outside the cache from user input: no `/`, `\`, `..`, NUL, spaces or absolute paths.
 */

/** Node ids and port names: they are also separated by `.` in references, so no dot. */
const IDENTIFIER = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/;
/** Matrix value labels: numbers like `0.001` and `-1e-7` need `.`, `+` and `-`. */
const LABEL = /^[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,63}$/;
/** Experiment names appear in run folder names only. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export const IDENTIFIER_RULE = 'use letters, digits, "_" and "-" (at most 64, not starting with "-"; no "/", "\\", ".", spaces)';

export function isSafeIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

export function isSafeLabel(label: string): boolean {
  return LABEL.test(label) && !label.includes('..');
}

export function isSafeName(name: string): boolean {
  return NAME.test(name) && !name.includes('..');
}

/** A safe identifier close to `name`, to suggest as a replacement. */
export function toSafeIdentifier(name: string): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-]+|[-]+$/g, '')
    .slice(0, 64);
  return cleaned === '' ? 'node' : cleaned;
}
