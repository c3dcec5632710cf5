// Room claims/: a paper's claims checked against cached results — the verdict rules (supported,
// contradicted, inconclusive), the evidence a program supplies for a claim's rows, and their text.
// Imports experiment/ and run/ types and the engine's top files; never cli/.

import type { ResolvedClaim, ResolvedNode } from '../experiment/resolved';
import type { ReportSource } from '../run/report-source';
import type { ClaimSupport } from './evidence';
import { type ClaimOutcome, decide } from './verdict';

/**
 * `cardigan check` without the printing: every claim of an experiment decided from what the cache
 * holds under the experiment's current keys (the same reading as the report's), running nothing.
 */

export interface CheckedClaim {
  claim: ResolvedClaim;
  outcome: ClaimOutcome;
}

export async function checkClaims(source: ReportSource, support: ClaimSupport): Promise<CheckedClaim[]> {
  const checked: CheckedClaim[] = [];
  for (const claim of source.experiment.claims ?? []) checked.push({ claim, outcome: await checkClaim(claim, source, support) });
  return checked;
}

async function checkClaim(claim: ResolvedClaim, source: ReportSource, support: ClaimSupport): Promise<ClaimOutcome> {
  const node = support.evidenceNode(claim, source.experiment);
  if (!node.ok) return { reason: 'no-evidence-node', message: node.error };
  const entry = source.nodes.find((n) => n.node.id === node.value)?.entry;
  if (entry === undefined) return { reason: 'missing-results', evidenceNode: node.value, toRun: notCached(node.value, source) };
  const evidence = await support.read(claim, entry);
  return evidence.ok ? decide(claim, evidence.value) : { reason: 'unreadable', message: evidence.error };
}

/** The node and its upstream nodes that have no results under their current key, in experiment order. */
function notCached(id: string, source: ReportSource): string[] {
  const byId = new Map<string, ResolvedNode>(source.nodes.map((n) => [n.node.id, n.node]));
  const needed = new Set<string>();
  const visit = (current: string): void => {
    if (needed.has(current)) return;
    needed.add(current);
    for (const refs of Object.values(byId.get(current)?.inputs ?? {})) for (const ref of refs) visit(ref.nodeId);
  };
  visit(id);
  return source.nodes.filter((n) => needed.has(n.node.id) && n.entry === undefined).map((n) => n.node.id);
}
