import type { Diagnostic } from './diagnostic';
import type { Place } from './extends';
import { isMapping } from './extends';
import { overrideCovers } from './overrides';
import { didYouMean } from '../suggest';
import type { ParamsCheck, SchemaProblem } from './validate';
import { dottedPath } from './yaml-source';
import type { PathSegment } from './yaml-source';

/**
 * A node's params from their layers, lowest precedence first: the type schema's defaults (filled in by
 * the check) < experiment `defaults[type]` < the node's `params` < its matrix values < `--set`. Each layer
 * replaces a param's value whole (a `--set` with a dotted path replaces one nested key). Every schema
 * problem is reported where the offending value was written, naming the layer a user has to edit.
 */

export type ParamLayer =
  | {
      from: 'defaults' | 'node' | 'matrix';
      values: Record<string, unknown>;
      /** Where the value at a param path is written in this layer. */
      place: (paramPath: PathSegment[], at: 'key' | 'value') => Place;
    }
  | { from: 'set'; path: string[]; value: unknown; place: { path: Place; value: Place } };

export interface ParamsArgs {
  /** The node id as written in the file. */
  nodeName: string;
  typeName: string;
  check: ParamsCheck;
  /** Declared param names, for did-you-mean. */
  paramNames: readonly string[];
  layers: readonly ParamLayer[];
  /** Where a problem that no layer wrote (a missing required param) is reported. */
  declared: Place;
}

export function resolveParams(args: ParamsArgs): { params: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const merged: Record<string, unknown> = {};
  for (const layer of args.layers) {
    if (layer.from === 'set') setIn(merged, layer.path, layer.value);
    else Object.assign(merged, layer.values);
  }
  // The check fills in defaults; values may be shared with other nodes (YAML aliases, matrix siblings).
  const params = cloneData(merged) as Record<string, unknown>;
  const diagnostics = args.check(params).map((problem) => describe(problem, args));
  return { params, diagnostics };
}

/**
 * A deep copy of YAML data. Not structuredClone: inside a vm context (jest's test sandbox) it returns
 * objects of the outer realm, which canonical JSON then refuses as not plain data.
 */
function cloneData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneData);
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cloneData(item)]));
  return value;
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = current[key];
    const copy: Record<string, unknown> = isMapping(next) ? { ...next } : {};
    current[key] = copy;
    current = copy;
  }
  current[path[path.length - 1]] = value;
}

/** The highest-precedence layer that wrote the value at `path`. */
function claimingLayer(layers: readonly ParamLayer[], path: readonly PathSegment[]): ParamLayer | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i];
    if (layer.from === 'set') {
      if (overrideCovers(layer.path, path) || overrideCovers(path, layer.path)) return layer;
    } else if (path.length > 0 && Object.hasOwn(layer.values, path[0])) {
      return layer;
    }
  }
  return undefined;
}

function describe(problem: SchemaProblem, args: ParamsArgs): Diagnostic {
  const layer = claimingLayer(args.layers, problem.path);
  const at = problem.kind === 'invalid' ? 'value' : 'key';
  const place = layer === undefined ? args.declared : layer.from === 'set' ? layer.place[at === 'key' ? 'path' : 'value'] : layer.place(problem.path, at);
  const owner = layer?.from === 'defaults' ? `in defaults for "${args.typeName}"` : `of node "${args.nodeName}"`;
  switch (problem.kind) {
    case 'unknown-key': {
      if (problem.path.length === 1) {
        const whose = layer?.from === 'defaults' ? `in defaults for "${args.typeName}"` : `for node "${args.nodeName}" (${args.typeName})`;
        return {
          ...place,
          message: `unknown param "${problem.key}" ${whose}${didYouMean(problem.key, args.paramNames)}`,
          hint: `${args.typeName} params: ${args.paramNames.join(', ') || '(none)'}`,
        };
      }
      const suggestion = problem.suggestion === undefined ? '' : ` — did you mean "${problem.suggestion}"?`;
      return { ...place, message: `unknown key "${problem.key}" in param "${dottedPath(problem.path.slice(0, -1))}" ${owner}${suggestion}` };
    }
    case 'missing-key':
      return problem.path.length === 0
        ? { ...place, message: `node "${args.nodeName}" (${args.typeName}) is missing the required param "${problem.key}"` }
        : { ...place, message: `param "${dottedPath(problem.path)}" ${owner} is missing the required key "${problem.key}"` };
    case 'invalid':
      return { ...place, message: `param "${dottedPath(problem.path)}" ${owner} ${problem.complaint}` };
  }
}
