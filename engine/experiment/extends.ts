import { promises as fs } from 'fs';
import * as path from 'path';
import type { Diagnostic } from './diagnostic';
import { didYouMean } from '../suggest';
import { YamlSource } from './yaml-source';
import type { PathSegment } from './yaml-source';

/**
 * An experiment file and the chain of files it `extends`, merged into one document.
 *
 * Merge rules (documented in README.md, "extends"): the child wins; `nodes` merge node by node and
 * within a node `params`, `inputs` and `matrix` merge key by key (a param's value is replaced whole);
 * `defaults` merge type by type, then key by key; a node whose `type` changes is replaced whole; `null`
 * removes an inherited entry (`nodes: { enet: null }`). `plugins` accumulate, each relative to the file
 * that names it.
 */

export type Place = Pick<Diagnostic, 'file' | 'line' | 'col' | 'length' | 'sourceLine'>;

export interface PluginRef {
  /** As written in the file. */
  spec: string;
  /** Absolute path, resolved against the folder of the file that names it. */
  path: string;
  place: Place;
}

export class ExperimentFiles {
  constructor(
    /** The loaded file first, then its base, its base's base... */
    readonly chain: readonly YamlSource[],
    /** The merged document without `extends` and `plugins`. */
    readonly merged: Record<string, unknown>,
    readonly plugins: readonly PluginRef[],
  ) {}

  /**
   * Where `path` (in the merged document) is written: the first file in the chain that spells it out
   * in full (the child overrides its bases), else the file that spells out most of it.
   */
  place(dataPath: readonly PathSegment[], at: 'key' | 'value' = 'value'): Place {
    let best = this.chain[0];
    let bestDepth = -1;
    for (const source of this.chain) {
      const depth = source.depth(dataPath);
      if (depth === dataPath.length) {
        best = source;
        break;
      }
      if (depth > bestDepth) {
        best = source;
        bestDepth = depth;
      }
    }
    return placeIn(best, dataPath, at);
  }

  /** Which file of the chain (0 = the loaded one) provides `dataPath`: the first that spells it out in full. */
  sourceIndex(dataPath: readonly PathSegment[]): number {
    return this.chain.findIndex((source) => source.depth(dataPath) === dataPath.length);
  }

  /** Whether some file in the chain writes `dataPath` out in full. */
  has(dataPath: readonly PathSegment[]): boolean {
    return this.chain.some((source) => source.depth(dataPath) === dataPath.length);
  }
}

export function placeIn(source: YamlSource, dataPath: readonly PathSegment[], at: 'key' | 'value' = 'value'): Place {
  const span = source.span(dataPath, at);
  return { file: source.file, line: span.line, col: span.col, length: span.length, sourceLine: source.lineText(span.line) };
}

export async function loadExperimentFiles(file: string): Promise<{ files?: ExperimentFiles; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const chain: YamlSource[] = [];
  const documents: Record<string, unknown>[] = [];
  const pluginLists: PluginRef[][] = [];
  let current = path.resolve(file);
  let read = await readText(current);
  if (!read.ok) {
    return { diagnostics: [{ file: current, line: 1, col: 1, message: `cannot read the experiment file: ${read.reason}` }] };
  }
  for (;;) {
    const source = YamlSource.parse(current, read.text);
    diagnostics.push(...source.diagnostics);
    chain.push(source);
    if (source.diagnostics.length > 0) break;
    const document = asDocument(source, diagnostics);
    if (document === undefined) break;
    documents.push(document);
    pluginLists.push(pluginRefs(source, document.plugins, diagnostics));

    const base = document.extends;
    if (base === undefined) break;
    if (typeof base !== 'string' || base === '') {
      diagnostics.push({ ...placeIn(source, ['extends']), message: 'extends must be the path of a base experiment file' });
      break;
    }
    const basePath = path.resolve(path.dirname(current), base);
    const cycleStart = chain.findIndex((s) => s.file === basePath);
    if (cycleStart >= 0) {
      const names = [...chain.slice(cycleStart), chain[cycleStart]].map((s) => path.basename(s.file));
      diagnostics.push({
        ...placeIn(source, ['extends']),
        message: `extends cycle: ${names.join(' → ')}`,
        hint: 'a file cannot extend itself, directly or through its bases',
      });
      break;
    }
    read = await readText(basePath);
    if (!read.ok) {
      const suggestion = await siblingSuggestion(basePath);
      diagnostics.push({ ...placeIn(source, ['extends']), message: `cannot read base experiment "${base}": ${read.reason}${suggestion}` });
      break;
    }
    current = basePath;
  }
  if (documents.length !== chain.length) return { diagnostics };

  let merged: Record<string, unknown> = {};
  for (const document of [...documents].reverse()) {
    const { extends: _extends, plugins: _plugins, ...rest } = document;
    merged = mergeExperiment(merged, rest);
  }
  const plugins: PluginRef[] = [];
  for (const ref of [...pluginLists].reverse().flat()) {
    if (!plugins.some((p) => p.path === ref.path)) plugins.push(ref);
  }
  return { files: new ExperimentFiles(chain, merged, plugins), diagnostics };
}

function asDocument(source: YamlSource, diagnostics: Diagnostic[]): Record<string, unknown> | undefined {
  if (isMapping(source.value)) return source.value;
  const message =
    source.value === null || source.value === undefined ? 'the experiment file is empty' : 'an experiment file must be a mapping (name:, seed:, nodes: ...)';
  diagnostics.push({
    file: source.file,
    line: 1,
    col: 1,
    sourceLine: source.lineText(1),
    message,
    hint: 'start from `nodes:` with one entry per node, e.g. `nodes: { data: { type: ... } }`',
  });
  return undefined;
}

function pluginRefs(source: YamlSource, plugins: unknown, diagnostics: Diagnostic[]): PluginRef[] {
  if (plugins === undefined) return [];
  if (!Array.isArray(plugins)) {
    diagnostics.push({ ...placeIn(source, ['plugins']), message: 'plugins must be a list of module paths, e.g. [./my-nodes.js]' });
    return [];
  }
  const refs: PluginRef[] = [];
  plugins.forEach((spec, index) => {
    if (typeof spec !== 'string' || spec === '') {
      diagnostics.push({ ...placeIn(source, ['plugins', index]), message: 'a plugin must be the path of a module, e.g. ./my-nodes.js' });
      return;
    }
    refs.push({ spec, path: path.resolve(path.dirname(source.file), spec), place: placeIn(source, ['plugins', index]) });
  });
  return refs;
}

async function readText(file: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  try {
    return { ok: true, text: await fs.readFile(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    return { ok: false, reason };
  }
}

async function siblingSuggestion(file: string): Promise<string> {
  try {
    const names = (await fs.readdir(path.dirname(file))).filter((name) => /\.ya?ml$/.test(name));
    return didYouMean(path.basename(file), names);
  } catch {
    return '';
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Merge = (base: unknown, child: unknown) => unknown;

const replace: Merge = (_base, child) => child;

/** Merges two mappings entry by entry: `null` deletes an inherited entry, `entry(key)` merges the rest. */
function mappingMerge(entry: (key: string) => Merge): Merge {
  return (base, child) => {
    if (!isMapping(base) || !isMapping(child)) return child;
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(child)) {
      if (value === null && key in base) delete result[key];
      else result[key] = key in base ? entry(key)(base[key], value) : value;
    }
    return result;
  };
}

const keyByKey = mappingMerge(() => replace);

const nodeFields = mappingMerge((key) => (key === 'params' || key === 'inputs' || key === 'matrix' ? keyByKey : replace));

/** A node whose type changes is a different node: its inherited params and inputs would not fit. */
const mergeNode: Merge = (base, child) =>
  isMapping(base) && isMapping(child) && child.type !== undefined && child.type !== base.type ? child : nodeFields(base, child);

const mergeDocument = mappingMerge((key) => {
  if (key === 'nodes') return mappingMerge(() => mergeNode);
  if (key === 'defaults') return mappingMerge(() => keyByKey);
  return replace;
});

export function mergeExperiment(base: Record<string, unknown>, child: Record<string, unknown>): Record<string, unknown> {
  return mergeDocument(base, child) as Record<string, unknown>;
}
