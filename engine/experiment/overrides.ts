import { parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { fail, ok } from '../errors';
import type { Result } from '../errors';
import type { Place } from './extends';
import { lowerFirst } from './yaml-source';
import type { PathSegment } from './yaml-source';

/**
 * `--set` overrides from the command line:
 *   `id.params.key=value`   a param (`key` may be a dotted path into a nested param)
 *   `id.seed=N`             a node's seed
 *   `seed=N`                the experiment seed
 *   `report=FILE`           the experiment's report page (`report=null`: none)
 * `id` is a node id, a matrix group id (every node of the group) or a generated id such as
 * `unet[train=camus,lr=0.01]`. The value is read as YAML (`0.01` is a number, `[1, 2]` a list, `abc`
 * a string) and validated like the file. Diagnostics point into the option: file `--set`, line = which
 * `--set` (1-based), column inside it.
 */

export type Override =
  | { kind: 'experiment-seed'; value: unknown; place: OverridePlaces }
  | { kind: 'experiment-report'; value: unknown; place: OverridePlaces }
  | { kind: 'node-seed'; nodeId: string; value: unknown; place: OverridePlaces }
  | { kind: 'param'; nodeId: string; path: string[]; value: unknown; place: OverridePlaces };

export interface OverridePlaces {
  nodeId: Place;
  path: Place;
  value: Place;
}

export const SET_FILE = '--set';

/** Node ids may carry a matrix suffix, whose labels contain `.` and `=`: skip over brackets. */
const TARGET = /^([A-Za-z0-9_-]+(?:\[[^[\]]*\])?|[^.=[\]]*)/;

export function parseOverrides(texts: readonly string[]): { overrides: Override[]; diagnostics: Diagnostic[] } {
  const overrides: Override[] = [];
  const diagnostics: Diagnostic[] = [];
  texts.forEach((text, index) => {
    const parsed = parseOverride(text, index + 1);
    if ('message' in parsed) diagnostics.push(parsed);
    else overrides.push(parsed);
  });
  return { overrides, diagnostics };
}

function parseOverride(text: string, line: number): Override | Diagnostic {
  const at = (start: number, end: number): Place => ({ file: SET_FILE, line, col: start + 1, length: Math.max(1, end - start), sourceLine: text });
  const usage = { hint: 'write --set <node>.params.<key>=<value>, --set <node>.seed=<n>, --set seed=<n> or --set report=<file>' };
  const nodeId = TARGET.exec(text)?.[1] ?? '';
  const equals = text.indexOf('=', nodeId.length);
  if (equals < 0) return { ...at(0, text.length), message: `--set "${text}" has no "=value"`, ...usage };
  const valueText = text.slice(equals + 1);
  const valuePlace = at(equals + 1, text.length);
  const parsedValue = parseValue(valueText);
  if (!parsedValue.ok) return { ...valuePlace, message: `--set value is not valid YAML: ${parsedValue.error}` };
  const value = parsedValue.value;
  const target = text.slice(0, equals);
  if (target === 'seed' || target === 'report') {
    return {
      kind: target === 'seed' ? 'experiment-seed' : 'experiment-report',
      value,
      place: { nodeId: at(0, equals), path: at(0, equals), value: valuePlace },
    };
  }
  const rest = target.slice(nodeId.length);
  const nodePlace = at(0, nodeId.length);
  if (nodeId === '' || !rest.startsWith('.')) return { ...at(0, equals), message: `--set "${target}" does not name a node`, ...usage };
  if (rest === '.seed') return { kind: 'node-seed', nodeId, value, place: { nodeId: nodePlace, path: at(nodeId.length + 1, equals), value: valuePlace } };
  const segments = rest.slice(1).split('.');
  if (segments[0] !== 'params' || segments.length < 2 || segments.some((s) => s === '')) {
    return { ...at(nodeId.length + 1, equals), message: `--set "${target}": expected "${nodeId}.params.<key>" or "${nodeId}.seed"`, ...usage };
  }
  const pathStart = nodeId.length + '.params.'.length;
  return { kind: 'param', nodeId, path: segments.slice(1), value, place: { nodeId: nodePlace, path: at(pathStart, equals), value: valuePlace } };
}

/** The value as YAML data: no aliases (nothing to expand), no tags beyond the core schema. */
function parseValue(text: string): Result<unknown, string> {
  const doc = parseDocument(text, { prettyErrors: false, schema: 'core' });
  const problem = doc.errors[0] ?? doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (problem !== undefined) return fail(lowerFirst(problem.message));
  try {
    return ok(doc.toJS({ maxAliasCount: 0 }) ?? null);
  } catch (error) {
    return fail(lowerFirst((error as Error).message));
  }
}

/** Whether an override written at `overridePath` produced the value at `problemPath`. */
export function overrideCovers(overridePath: readonly PathSegment[], problemPath: readonly PathSegment[]): boolean {
  return overridePath.length <= problemPath.length && overridePath.every((segment, i) => String(segment) === String(problemPath[i]));
}
