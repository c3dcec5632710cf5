import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { unclosedFlow } from './unclosed-flow';

/**
 * One YAML file read as plain data, keeping its syntax tree so that any value can be traced back
 * to a line and column.
 *
 * Safety: only the YAML 1.2 core schema is used (no custom tags, so nothing in a file can construct
 * objects or run code; an unknown tag is an error), and alias expansion is bounded so that a
 * "billion laughs" document fails fast instead of exhausting memory.
 */

/**
 * yaml's measure of alias expansion (uses of an anchor × the size it stands for). 10 000 leaves room
 * for an anchor reused by thousands of nodes while stopping exponential documents within a few levels.
 */
export const MAX_ALIAS_COUNT = 10_000;

export type PathSegment = string | number;

/** A data path as a user reads it: `nodes.unet.matrix.lr[1]`. */
export function dottedPath(path: readonly PathSegment[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

/** A position with the length to underline. */
export interface Span {
  line: number;
  col: number;
  length: number;
}

interface Found {
  /** How many leading segments of the path exist in this file. */
  depth: number;
  key?: YamlNode;
  value?: YamlNode;
}

export class YamlSource {
  private readonly lines: string[];
  private readonly pairIndex = new WeakMap<YAMLMap<unknown, unknown>, Map<string, Pair<YamlNode, YamlNode>>>();

  private constructor(
    readonly file: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
    /** The file as data; undefined when it could not be parsed. */
    readonly value: unknown,
    readonly diagnostics: Diagnostic[],
  ) {
    this.lines = text.split(/\r?\n/);
  }

  static parse(file: string, text: string): YamlSource {
    const lineCounter = new LineCounter();
    // Duplicate keys are found by findDuplicateKeys, which knows when a key is a node id.
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, schema: 'core' });
    const diagnostics: Diagnostic[] = [];
    const at = (offset: number, length: number, message: string, hint?: string): void => {
      const { line, col } = lineCounter.linePos(offset);
      const sourceLine = text.split(/\r?\n/, line)[line - 1] ?? '';
      diagnostics.push(hint === undefined ? { file, line, col, length, message, sourceLine } : { file, line, col, length, message, hint, sourceLine });
    };
    for (const error of doc.errors) {
      const unclosed = unclosedFlow(doc, text, error);
      if (unclosed !== undefined) at(unclosed.offset, 1, `YAML syntax error: ${lowerFirst(error.message)}`, `this ${unclosed.bracket} was never closed`);
      else at(error.pos[0], error.pos[1] - error.pos[0], `YAML syntax error: ${lowerFirst(error.message)}`);
    }
    for (const warning of doc.warnings) {
      if (warning.code === 'TAG_RESOLVE_FAILED') {
        at(
          warning.pos[0],
          warning.pos[1] - warning.pos[0],
          `unsupported YAML tag: ${warning.message.replace(/^Unresolved tag: /, '')}`,
          'experiment files are plain data; remove the tag',
        );
      }
    }
    let value: unknown;
    if (diagnostics.length === 0) {
      findDuplicateKeys(doc.contents, [], (node, keyPath, firstLine) => {
        const [start, end] = node.range ?? [0, 0];
        const name = keyPath[keyPath.length - 1];
        const where = keyPath.length === 2 && keyPath[0] === 'nodes' ? `duplicate node id "${name}"` : `duplicate key "${name}"`;
        at(start, end - start, `${where} (first defined on line ${lineCounter.linePos(firstLine).line})`, 'YAML keeps only one of them; rename or remove one');
      });
      try {
        value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        if (!(error instanceof ReferenceError)) throw error;
        const alias = firstAlias(doc.contents);
        const offset = alias?.range?.[0] ?? 0;
        const message = /Excessive alias count/.test(error.message)
          ? `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} values): refusing a "billion laughs" document`
          : `YAML alias error: ${lowerFirst(error.message)}`;
        at(offset, 1, message);
      }
    }
    return new YamlSource(file, text, doc, lineCounter, value, diagnostics);
  }

  /** The text of a 1-based line. */
  lineText(line: number): string {
    return this.lines[line - 1] ?? '';
  }

  /** How many leading segments of `path` this file spells out. */
  depth(path: readonly PathSegment[]): number {
    return this.find(path).depth;
  }

  /**
   * Where `path` is written: its value, or its key (`at: 'key'`, for unknown or missing keys). When the
   * path goes deeper than the file does, the deepest part that exists.
   */
  span(path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Span {
    const found = this.find(path);
    const complete = found.depth === path.length;
    let node = complete && at === 'value' ? found.value : (found.key ?? found.value);
    // `key:` with nothing after it has an empty value: point at the key instead.
    const range = node?.range;
    if (node === found.value && range != null && range[0] === range[1]) node = found.key ?? node;
    return this.spanOf(node);
  }

  private spanOf(node: YamlNode | undefined): Span {
    const [start, end] = node?.range ?? [0, 1];
    const { line, col } = this.lineCounter.linePos(start);
    const lineEnd = this.lineCounter.lineStarts[line] ?? this.text.length + 1;
    return { line, col, length: Math.max(1, Math.min(end, lineEnd - 1) - start) };
  }

  private find(path: readonly PathSegment[]): Found {
    let value: YamlNode | undefined = this.doc.contents ?? undefined;
    let key: YamlNode | undefined;
    let depth = 0;
    for (const segment of path) {
      const container: YamlNode | undefined = resolveAlias(this.doc, value);
      let next: { key?: YamlNode; value?: YamlNode } | undefined;
      if (isMap(container)) {
        const pair = this.pairsOf(container).get(String(segment));
        if (pair !== undefined) next = { key: pair.key, value: pair.value ?? undefined };
      } else if (isSeq(container) && typeof segment === 'number' && segment < container.items.length) {
        next = { value: container.items[segment] as YamlNode };
      }
      if (next === undefined) break;
      key = next.key ?? next.value;
      value = next.value;
      depth++;
    }
    return { depth, key, value };
  }

  /** Pairs of a mapping by key, indexed once: locating every node of a large file stays linear. */
  private pairsOf(map: YAMLMap<unknown, unknown>): Map<string, Pair<YamlNode, YamlNode>> {
    let index = this.pairIndex.get(map);
    if (index === undefined) {
      index = new Map();
      for (const pair of map.items as Pair<YamlNode, YamlNode>[]) {
        // The last of duplicate keys wins, as in the data.
        if (isScalar(pair.key)) index.set(String(pair.key.value), pair);
      }
      this.pairIndex.set(map, index);
    }
    return index;
  }
}

function resolveAlias(doc: Document.Parsed, node: YamlNode | undefined): YamlNode | undefined {
  let current = node;
  for (let hops = 0; isAlias(current) && hops < 100; hops++) current = current.resolve(doc) as YamlNode | undefined;
  return current;
}

function findDuplicateKeys(node: unknown, keyPath: PathSegment[], report: (key: YamlNode, keyPath: PathSegment[], firstOffset: number) => void): void {
  if (isMap(node)) {
    const seen = new Map<string, number>();
    for (const pair of node.items as Pair<YamlNode, YamlNode>[]) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      const first = seen.get(name);
      if (first !== undefined) report(pair.key, [...keyPath, name], first);
      else seen.set(name, pair.key.range?.[0] ?? 0);
      findDuplicateKeys(pair.value, [...keyPath, name], report);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => findDuplicateKeys(item, [...keyPath, index], report));
  }
}

function firstAlias(node: unknown): YamlNode | undefined {
  if (isAlias(node)) return node;
  if (isMap(node)) {
    for (const pair of node.items as Pair<unknown, unknown>[]) {
      const found = firstAlias(pair.value);
      if (found !== undefined) return found;
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const found = firstAlias(item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** YAML library messages start with a capital; ours continue a sentence. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
