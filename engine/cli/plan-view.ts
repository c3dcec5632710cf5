import { shortKey } from '../keys/key';
import type { ExperimentIndex } from '../cache/last-keys';
import { type KeyChange, describeChange, diffFingerprints } from '../keys/explain';
import type { PlanState } from '../run/planner';
import type { NodeRegistry } from '../registry';
import type { ResolvedExperiment } from '../experiment/resolved';

/** One node of `cardigan plan`, as data (`--json`) and as the lines printed. */
export interface PlanRow {
  node: string;
  state: 'cached' | 'stale' | 'blocked';
  key: string | null;
  /** For blocked nodes: the stale upstream nodes whose outputs decide this node's key. */
  waitingFor: string[];
  /** With --explain: the key this node last had in this cache (index), if any. */
  previousKey: string | null;
  /** With --explain: what differs from that previous key (for blocked nodes, all but the inputs). */
  changes: KeyChange[];
  /** With --explain: the same, in words, one line each. */
  explanation: string[];
  /** With --explain: what the node type says the params alone do not show (NodeType.explain), e.g. where its data comes from. */
  notes: string[];
}

export function planRows(experiment: ResolvedExperiment, plan: Map<string, PlanState>, index: ExperimentIndex | undefined, registry?: NodeRegistry): PlanRow[] {
  return experiment.nodes.map((node) => {
    const state = plan.get(node.id) as PlanState;
    const row: PlanRow = {
      node: node.id,
      state: state.state,
      key: state.state === 'blocked' ? null : state.key.hash,
      waitingFor: state.state === 'blocked' ? state.waitingFor : [],
      previousKey: null,
      changes: [],
      explanation: [],
      notes: [],
    };
    if (index === undefined) return row;
    row.notes = registry?.get(node.type).explain?.(node.params) ?? [];
    const previous = index.nodes[node.id];
    row.previousKey = previous?.key ?? null;
    const refs = Object.fromEntries(Object.entries(node.inputs).map(([port, list]) => [port, list.map((ref) => `${ref.nodeId}.${ref.port}`)]));
    switch (state.state) {
      case 'cached':
        if (previous !== undefined && previous.key !== state.key.hash)
          row.explanation.push(`cached under an older key (the last run used ${shortKey(previous.key)})`);
        break;
      case 'stale':
        if (state.why.why === 'invalid') {
          row.explanation.push(`its entry is damaged and will be recomputed: ${state.why.problems.slice(0, 3).join('; ')}`);
        } else if (previous === undefined) {
          row.explanation.push('never cached in this cache for this experiment file');
        } else if (previous.key === state.key.hash) {
          row.explanation.push(`same key as its last run (${shortKey(previous.key)}), but the entry is gone (removed by cache gc, or a different --cache)`);
        } else {
          row.changes = diffFingerprints(previous.parts, state.key.parts);
          row.explanation.push(...row.changes.map((change) => describeChange(change, refs)));
        }
        break;
      case 'blocked':
        row.explanation.push(`waits for ${state.waitingFor.join(', ')}, whose new outputs decide its key`);
        if (previous !== undefined) {
          row.changes = diffFingerprints(previous.parts, state.parts);
          row.explanation.push(...row.changes.map((change) => `and: ${describeChange(change, refs)}`));
        }
        break;
    }
    return row;
  });
}

export function renderPlan(experiment: ResolvedExperiment, rows: PlanRow[], explain: boolean): string {
  const count = (state: PlanRow['state']): number => rows.filter((row) => row.state === state).length;
  const lines = [`plan: ${experiment.name} (${rows.length} nodes): ${count('cached')} cached, ${count('stale')} stale, ${count('blocked')} blocked`];
  const width = Math.max(4, ...rows.map((row) => row.node.length));
  for (const row of rows) {
    const key = row.key === null ? '·'.padEnd(10) : shortKey(row.key);
    const tail = row.state === 'blocked' && !explain ? `  needs ${row.waitingFor.join(', ')}` : '';
    lines.push(`  ${row.state.padEnd(8)} ${key}  ${row.node.padEnd(width)}${tail}`.trimEnd());
    if (explain) for (const line of [...row.explanation, ...row.notes]) lines.push(`      ${line}`);
  }
  return lines.join('\n');
}
