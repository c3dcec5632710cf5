import { unreachable } from '../errors';
import type { ResolvedClaim } from '../experiment/resolved';
import type { CheckedClaim } from './check';
import type { ClaimEvidence, RowEvidence } from './evidence';
import { type ClaimOutcome, verdictOf } from './verdict';

/**
 * The text `cardigan check` prints: one block per claim (verdict, the claim, the numbers it was
 * decided from, and why when it is not decided), then a one-line verdict. Pinned in tests.
 */

const WIDTH = 'inconclusive'.length;

export function renderCheck(checked: readonly CheckedClaim[]): string {
  const blocks = checked.map(({ claim, outcome }) => {
    const head = `${verdictOf(outcome).padEnd(WIDTH)}  ${claim.id}: ${claimText(claim)}`;
    return [head, ...outcomeLines(claim, outcome).map((line) => `${' '.repeat(WIDTH)}  ${line}`)].join('\n');
  });
  return [...blocks, '', verdictLine(checked)].join('\n');
}

export function claimText(claim: ResolvedClaim): string {
  const margin = claim.relation === '≈' ? ` ± ${claim.margin}` : '';
  return `${claim.a.written} ${claim.relation} ${claim.b.written}${margin} on ${claim.metric}, from ${claim.from}`;
}

/** What a claim was decided from, and why when it was not (the lines under its verdict). */
export function outcomeLines(claim: ResolvedClaim, outcome: ClaimOutcome): string[] {
  switch (outcome.reason) {
    case 'supported':
    case 'contradicted':
      return [numbers(outcome.evidence)];
    case 'too-few-seeds': {
      const fewest = Math.min(outcome.evidence.a.seeds, outcome.evidence.b.seeds);
      return [numbers(outcome.evidence), `not enough seeds: ${count(fewest, 'seed')}, the claim needs ${outcome.needed}`];
    }
    case 'not-significant':
      return [numbers(outcome.evidence), `the difference is not significant at α = ${claim.alpha}`];
    case 'no-test':
      return [numbers(outcome.evidence), 'no paired test could be made (no pair differs)'];
    case 'no-values':
      return [numbers(outcome.evidence), `a row has no value of ${claim.metric}`];
    case 'no-evidence-node':
    case 'unreadable':
      return [outcome.message];
    case 'missing-results':
      return [`no results: ${outcome.evidenceNode} is not in the cache under its current key`];
    default:
      return unreachable(outcome);
  }
}

function numbers({ a, b, test }: ClaimEvidence): string {
  const paired = test === null ? 'no paired test' : `${test.method}: p = ${formatP(test.pValue)}, n = ${test.n}`;
  return `${row(a)} vs ${row(b)}; ${paired}`;
}

function row(evidence: RowEvidence): string {
  if (evidence.mean === null) return 'no value';
  const spread = evidence.std === null ? '' : ` ± ${formatNumber(evidence.std)}`;
  return `${formatNumber(evidence.mean)}${spread} (${count(evidence.seeds, 'seed')})`;
}

export function formatNumber(value: number): string {
  const size = Math.abs(value);
  return value.toFixed(size >= 100 ? 1 : size >= 10 ? 2 : 3);
}

export function formatP(p: number | null): string {
  if (p === null) return 'none';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function verdictLine(checked: readonly CheckedClaim[]): string {
  const verdicts = checked.map(({ outcome }) => verdictOf(outcome));
  const n = (verdict: string): number => verdicts.filter((v) => v === verdict).length;
  const total = count(checked.length, 'claim');
  if (n('missing') > 0) {
    const toRun = [...new Set(checked.flatMap(({ outcome }) => (outcome.reason === 'missing-results' ? outcome.toRun : [])))];
    return `verdict: results missing for ${n('missing')} of ${total}; ${count(toRun.length, 'node')} to run first: ${toRun.join(', ')}`;
  }
  if (n('supported') === checked.length) return `verdict: all ${total} supported`;
  return `verdict: ${n('supported')} of ${total} supported, ${n('contradicted')} contradicted, ${n('inconclusive')} inconclusive`;
}
