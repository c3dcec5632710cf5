import type { NodeType, SubjectGroup, SubjectLineage, SubjectSplit } from '../../engine';
import type { DatasetItem, Split } from './dataset-artifact';

/**
 * Lineage (engine/node-api.ts, SubjectLineage): the patients behind an artifact, by what they were to
 * it. This module is its set algebra, the one place every node type derives its outputs' lineage from:
 * a loader's items become `held`; a node's output carries the lineage of the inputs its port
 * declaration names (`carries`, default every input), the subjects of a `train` input becoming
 * `trained` and those of a `select` input `selected` (whatever they were upstream: a model learnt from
 * everything behind its training data), the others keeping their kind. Records are canonical (sorted,
 * no duplicates) so that the same patients always hash alike.
 */

export const EMPTY_LINEAGE: SubjectLineage = { held: [], trained: [], selected: [] };

const KINDS = ['held', 'trained', 'selected'] as const;
type Kind = (typeof KINDS)[number];

const SPLIT_OF: Record<Split, SubjectSplit | 'none'> = { train: 'train', val: 'validation', test: 'test', none: 'none' };

/** The `held` lineage of a loader's items, all from `source` (the cohort their patient ids belong to). */
export function lineageOfItems(items: readonly DatasetItem[], source: string): SubjectLineage {
  return canonical({ held: items.map((item) => ({ source, split: SPLIT_OF[item.split], ids: [item.patient] })), trained: [], selected: [] });
}

/** Every subject of every part, kind by kind. */
export function unionLineage(parts: readonly SubjectLineage[]): SubjectLineage {
  return canonical({
    held: parts.flatMap((part) => part.held),
    trained: parts.flatMap((part) => part.trained),
    selected: parts.flatMap((part) => part.selected),
  });
}

/** What an input's lineage becomes in an output, by the input's role: learning turns everything behind it into `trained` (or `selected`). */
function asRole(lineage: SubjectLineage, role: 'train' | 'select' | 'evaluate' | undefined): SubjectLineage {
  if (role !== 'train' && role !== 'select') return lineage;
  const all = KINDS.flatMap((kind) => lineage[kind]);
  return canonical({ ...EMPTY_LINEAGE, [role === 'train' ? 'trained' : 'selected']: all });
}

/**
 * The lineage of output `port` of a node of `type`, from its inputs' lineages by port (fan-in lists as
 * they come; a missing or unrecorded input adds nothing) and, for a loader, its `own` items' lineage.
 */
export function carriedLineage(
  type: Pick<NodeType, 'inputs' | 'outputs'>,
  port: string,
  inputs: Readonly<Record<string, readonly SubjectLineage[]>>,
  own: SubjectLineage = EMPTY_LINEAGE,
): SubjectLineage {
  const spec = type.outputs[port];
  if (spec === undefined) throw new Error(`lineage: no output port "${port}"`);
  const carried = (spec.carries ?? Object.keys(type.inputs)).flatMap((input) =>
    (inputs[input] ?? []).map((lineage) => asRole(lineage, type.inputs[input]?.role)),
  );
  return unionLineage([own, ...carried]);
}

/** The lineage with its `held` subjects narrowed to `patients` (a filter or a subset keeps some items, and so some patients). */
export function restrictHeld(lineage: SubjectLineage, patients: ReadonlySet<string>): SubjectLineage {
  return canonical({ ...lineage, held: lineage.held.map((group) => ({ ...group, ids: group.ids.filter((id) => patients.has(id)) })) });
}

/** How many subjects a lineage names, kind by kind (for logs). */
export function lineageCounts(lineage: SubjectLineage): Record<Kind, number> {
  return { held: count(lineage.held), trained: count(lineage.trained), selected: count(lineage.selected) };
}

function count(groups: readonly SubjectGroup[]): number {
  return groups.reduce((n, group) => n + group.ids.length, 0);
}

/** One group per (source, split), ids unique and in numeric-aware order, groups sorted, empty groups dropped. */
function canonical(lineage: SubjectLineage): SubjectLineage {
  const merge = (groups: readonly SubjectGroup[]): SubjectGroup[] => {
    const byPart = new Map<string, { source: string; split: SubjectGroup['split']; ids: Set<string> }>();
    for (const group of groups) {
      const key = `${group.source}\u0000${group.split}`;
      const part = byPart.get(key) ?? { source: group.source, split: group.split, ids: new Set<string>() };
      for (const id of group.ids) part.ids.add(id);
      byPart.set(key, part);
    }
    return [...byPart.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, part]) => ({ source: part.source, split: part.split, ids: [...part.ids].sort(byName) }))
      .filter((group) => group.ids.length > 0);
  };
  return { held: merge(lineage.held), trained: merge(lineage.trained), selected: merge(lineage.selected) };
}

const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
