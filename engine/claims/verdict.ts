import { unreachable } from '../errors';
import type { ResolvedClaim } from '../experiment/resolved';
import type { ClaimEvidence } from './evidence';

/**
 * Deciding one claim from its evidence. A difference counts only when the paired test says it is
 * more than chance at the claim's α, and only once each row has the claim's minimum number of seeds:
 * one training run per row is the luck of that run (README, ablation-seeds). The direction is the sign
 * of mean(a) − mean(b). For `≈`, a difference within the margin supports the claim; one beyond it
 * contradicts the claim only when the test finds it significant.
 */

export type ClaimOutcome =
  | { reason: 'supported'; evidence: ClaimEvidence }
  | { reason: 'contradicted'; evidence: ClaimEvidence }
  | { reason: 'too-few-seeds'; evidence: ClaimEvidence; needed: number }
  | { reason: 'not-significant'; evidence: ClaimEvidence }
  | { reason: 'no-test'; evidence: ClaimEvidence }
  | { reason: 'no-values'; evidence: ClaimEvidence }
  /** No node's results can decide it (e.g. no evaluate node scored both rows). */
  | { reason: 'no-evidence-node'; message: string }
  /** The evidence node is cached, but its files do not hold what the claim needs. */
  | { reason: 'unreadable'; message: string }
  /** The evidence node has no results under its current key: these nodes must run first. */
  | { reason: 'missing-results'; evidenceNode: string; toRun: string[] };

export type Verdict = 'supported' | 'contradicted' | 'inconclusive' | 'missing';

export function verdictOf(outcome: ClaimOutcome): Verdict {
  switch (outcome.reason) {
    case 'supported':
      return 'supported';
    case 'contradicted':
      return 'contradicted';
    case 'too-few-seeds':
    case 'not-significant':
    case 'no-test':
    case 'no-values':
    case 'no-evidence-node':
    case 'unreadable':
      return 'inconclusive';
    case 'missing-results':
      return 'missing';
    default:
      return unreachable(outcome);
  }
}

/** Whether the relation holds between the two means. */
function holds(claim: ResolvedClaim, difference: number): boolean {
  switch (claim.relation) {
    case '<':
      return difference < 0;
    case '>':
      return difference > 0;
    case '≈':
      return Math.abs(difference) <= (claim.margin ?? 0);
    default:
      return unreachable(claim.relation);
  }
}

export function decide(claim: ResolvedClaim, evidence: ClaimEvidence): ClaimOutcome {
  const { a, b, test } = evidence;
  if (a.mean === null || b.mean === null) return { reason: 'no-values', evidence };
  if (Math.min(a.seeds, b.seeds) < claim.minSeeds) return { reason: 'too-few-seeds', evidence, needed: claim.minSeeds };
  const difference = a.mean - b.mean;
  // Equal within the margin needs no test: the margin is the claim's own tolerance.
  if (claim.relation === '≈' && holds(claim, difference)) return { reason: 'supported', evidence };
  if (test === null || test.pValue === null) return { reason: 'no-test', evidence };
  if (!(test.pValue < claim.alpha)) return { reason: 'not-significant', evidence };
  return { reason: holds(claim, difference) ? 'supported' : 'contradicted', evidence };
}

/** The process exit code of `cardigan check`: 2 when any result is missing, else 0 when every claim is supported, else 1. */
export function checkExitCode(outcomes: readonly ClaimOutcome[]): number {
  const verdicts = outcomes.map(verdictOf);
  if (verdicts.includes('missing')) return 2;
  return verdicts.every((v) => v === 'supported') ? 0 : 1;
}
