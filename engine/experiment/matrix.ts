import type { Diagnostic } from './diagnostic';
import type { Place } from './extends';
import type { NodeType } from '../node-api';
import { parseReference } from './reference';
import { isSafeLabel } from './safe-name';
import { closest } from '../suggest';
import { declaredParams } from './validate';
import type { PathSegment } from './yaml-source';

/**
 * `matrix:` expansion: one node per combination of the lists, first key outermost, values in the
 * order written, so ids and their order are stable. Ids read `unet[train=camuspp,lr=0.01]`: a reference
 * is labelled by its node id (by `node.port` when one list names two ports of a node), a scalar by its
 * value, anything else (mappings, lists, strings unfit for a folder name) by its 1-based position.
 */

/** One value a matrix key takes in one combination. */
export interface MatrixCell {
  key: string;
  /** A key naming an input port feeds it references; `seed` sets the node seed; any other key is a param. */
  role: 'input' | 'param' | 'seed';
  value: unknown;
  /** Position in the key's list, to point at the value in errors. */
  index: number;
  label: string;
}

export interface Expansion {
  id: string;
  cells: MatrixCell[];
}

/** More nodes than any sensible ablation; guards against a typo like `range: [1..100000]` lists. */
export const MAX_MATRIX_NODES = 10_000;

export interface MatrixArgs {
  nodeId: string;
  node: Record<string, unknown>;
  matrix: Record<string, unknown[]>;
  nodeType: NodeType<Record<string, unknown>>;
  place: (path: PathSegment[], at?: 'key' | 'value') => Place;
  /** Whether two paths are written in the same file (a base's value may be overridden by a matrix). */
  sameFile: (a: PathSegment[], b: PathSegment[]) => boolean;
}

export function expandMatrix({ nodeId, node, matrix, nodeType, place, sameFile }: MatrixArgs): { expansions: Expansion[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { names: paramNames, open } = declaredParams(nodeType.paramsSchema);
  const ports = Object.keys(nodeType.inputs);
  const matrixPath = ['nodes', nodeId, 'matrix'];
  const columns: MatrixCell[][] = [];
  for (const [key, values] of Object.entries(matrix)) {
    const keyPlace = place([...matrixPath, key], 'key');
    const role = ports.includes(key) ? 'input' : paramNames.includes(key) || (open && key !== 'seed') ? 'param' : key === 'seed' ? 'seed' : undefined;
    if (role === undefined) {
      const suggestion = closest(key, [...ports, ...paramNames, 'seed']);
      diagnostics.push({
        ...keyPlace,
        message: `matrix key "${key}" of node "${nodeId}" is neither an input port nor a param of ${nodeType.type}${suggestion === undefined ? '' : ` — did you mean "${suggestion}"?`}`,
        hint: `input ports: ${ports.join(', ') || '(none)'}; params: ${paramNames.join(', ') || '(none)'}`,
      });
      continue;
    }
    const section = role === 'input' ? 'inputs' : role === 'param' ? 'params' : undefined;
    const sectionValue = section === undefined ? node.seed : (node[section] as Record<string, unknown> | undefined)?.[key];
    const where = section === undefined ? ['nodes', nodeId, 'seed'] : ['nodes', nodeId, section, key];
    // Within one file both is a contradiction; a matrix added over a base's value replaces it.
    if (sectionValue !== undefined && sameFile(where, [...matrixPath, key])) {
      diagnostics.push({ ...place(where, 'key'), message: `"${key}" of node "${nodeId}" is set both here and in its matrix`, hint: 'keep one of them' });
      continue;
    }
    if (values.length === 0) {
      diagnostics.push({
        ...place([...matrixPath, key]),
        message: `matrix list "${key}" of node "${nodeId}" is empty`,
        hint: 'give at least one value, or remove the key',
      });
      continue;
    }
    const labels = labelValues(values, role);
    const clash = firstClash(labels);
    if (clash !== undefined) {
      diagnostics.push({
        ...place([...matrixPath, key, clash[1]]),
        message: `matrix list "${key}" of node "${nodeId}" repeats the label "${labels[clash[1]]}" (items ${clash[0] + 1} and ${clash[1] + 1}), so two nodes would get the same id`,
        hint: 'remove the repeated value',
      });
      continue;
    }
    columns.push(values.map((value, index) => ({ key, role, value, index, label: labels[index] })));
  }
  if (diagnostics.length > 0) return { expansions: [], diagnostics };
  const total = columns.reduce((product, column) => product * column.length, 1);
  if (total > MAX_MATRIX_NODES) {
    diagnostics.push({ ...place(matrixPath, 'key'), message: `matrix of node "${nodeId}" expands to ${total} nodes (at most ${MAX_MATRIX_NODES})` });
    return { expansions: [], diagnostics };
  }
  const expansions: Expansion[] = [];
  const combine = (depth: number, cells: MatrixCell[]): void => {
    if (depth === columns.length) {
      expansions.push({ id: `${nodeId}[${cells.map((c) => `${c.key}=${c.label}`).join(',')}]`, cells });
      return;
    }
    for (const cell of columns[depth]) combine(depth + 1, [...cells, cell]);
  };
  combine(0, []);
  return { expansions, diagnostics };
}

function labelValues(values: unknown[], role: MatrixCell['role']): string[] {
  if (role === 'input') {
    const references = values.map((value) => (typeof value === 'string' ? parseReference(value) : undefined));
    // A generated id already has brackets: label it by position rather than nest brackets.
    const byNode = references.map((ref, index) => (ref !== undefined && !ref.node.includes('[') ? ref.node : String(index + 1)));
    const counts = new Map<string, number>();
    for (const label of byNode) counts.set(label, (counts.get(label) ?? 0) + 1);
    // Two ports of one node in the same list: the node id alone would not tell them apart.
    return byNode.map((label, index) =>
      (counts.get(label) ?? 0) > 1 && references[index] !== undefined && isSafeLabel(String(values[index])) ? String(values[index]) : label,
    );
  }
  return values.map((value, index) => {
    const text = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? String(value) : undefined;
    return text !== undefined && isSafeLabel(text) ? text : String(index + 1);
  });
}

function firstClash(labels: string[]): [number, number] | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) {
    const first = seen.get(labels[i]);
    if (first !== undefined) return [first, i];
    seen.set(labels[i], i);
  }
  return undefined;
}
