import { UsageError } from '../errors';
import { type ExperimentGraph, producers, withAncestors, withDescendants } from '../experiment/graph';
import type { ResolvedExperiment } from '../experiment/resolved';
import { didYouMean } from '../suggest';

/** `--only`, `--from`, `--until`, `--force`, each repeatable; ids may name a matrix group. */
export interface SelectionSpec {
  only?: string[];
  from?: string[];
  until?: string[];
  force?: string[];
}

export interface Selection {
  /** Nodes this run may compute. */
  selected: Set<string>;
  /** Selected nodes to recompute even when cached. */
  forced: Set<string>;
  /** Unselected nodes that selected ones read from: their entries must already be in the cache. */
  needed: Set<string>;
}

/**
 * `--only X`: X alone. `--from X`: X and its descendants. `--until X`: X and its ancestors. `--from`
 * and `--until` together: the nodes on paths between them. No flag: everything. `--force` adds
 * nothing to the selection; it must name selected nodes.
 */
export function resolveSelection(experiment: ResolvedExperiment, graph: ExperimentGraph, spec: SelectionSpec): Selection {
  const only = matchAll(experiment, spec.only, '--only');
  const from = matchAll(experiment, spec.from, '--from');
  const until = matchAll(experiment, spec.until, '--until');
  const forced = new Set(matchAll(experiment, spec.force, '--force'));
  if (only.length > 0 && (from.length > 0 || until.length > 0)) {
    throw new UsageError('--only cannot be combined with --from or --until (use --from X --until Y for a range)');
  }
  let selected = new Set(experiment.nodes.map((node) => node.id));
  if (only.length > 0) selected = new Set(only);
  if (from.length > 0) selected = intersect(selected, withDescendants(graph, from));
  if (until.length > 0) selected = intersect(selected, withAncestors(graph, until));
  if (selected.size === 0)
    throw new UsageError(`--from ${spec.from?.join(',')} and --until ${spec.until?.join(',')} select no node: nothing lies between them`);
  const outside = [...forced].filter((id) => !selected.has(id));
  if (outside.length > 0) throw new UsageError(`--force ${outside.join(', ')}: not among the selected nodes`);
  const needed = new Set<string>();
  for (const id of selected) {
    for (const ancestor of withAncestors(graph, producers(graph, id))) {
      if (!selected.has(ancestor)) needed.add(ancestor);
    }
  }
  return { selected, forced, needed };
}

/** The nodes an id names: the node itself, or every node of the matrix group of that name. */
export function matchNodeIds(experiment: ResolvedExperiment, id: string, flag: string): string[] {
  const matches = experiment.nodes.filter((node) => node.id === id || node.group === id).map((node) => node.id);
  if (matches.length === 0) {
    const names = new Set(experiment.nodes.flatMap((node) => (node.group === undefined ? [node.id] : [node.id, node.group])));
    throw new UsageError(`${flag} ${id}: no node or matrix group "${id}" in ${experiment.file}${didYouMean(id, names)}`);
  }
  return matches;
}

function matchAll(experiment: ResolvedExperiment, ids: string[] | undefined, flag: string): string[] {
  return [...new Set((ids ?? []).flatMap((id) => matchNodeIds(experiment, id, flag)))];
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((id) => b.has(id)));
}
