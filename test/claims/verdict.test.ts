import { checkExitCode, decide, type ClaimOutcome } from '../../engine/claims/verdict';
import type { ClaimEvidence } from '../../engine/claims/evidence';
import type { ResolvedClaim } from '../../engine/experiment/resolved';
import { CLAIM_METRICS } from '../../nodes/claims/table1-claims';
import { METRIC_NAMES } from '../../nodes/evaluate/aggregate';
import { STRUCTURE_NAMES } from '../../nodes/metrics/segmentation-metrics';

/** Deciding a claim from its evidence: every reason, on hand-made numbers. */

function claim(relation: ResolvedClaim['relation'], extra: Partial<ResolvedClaim> = {}): ResolvedClaim {
  return {
    id: 'c',
    a: { written: 'a', ids: ['a'] },
    relation,
    b: { written: 'b', ids: ['b'] },
    metric: 'dice_endo',
    alpha: 0.05,
    minSeeds: 1,
    from: 'Table 1',
    location: { file: 'x.yaml', line: 1, col: 1 },
    ...extra,
  };
}

function evidence(a: number | null, b: number | null, p: number | null, seeds = 3): ClaimEvidence {
  return { a: { mean: a, std: 0.01, seeds }, b: { mean: b, std: 0.01, seeds }, test: { pValue: p, n: 16, method: 'Wilcoxon' } };
}

const reason = (outcome: ClaimOutcome): string => outcome.reason;

describe('decide', () => {
  it('supports a significant difference in the claimed direction and contradicts the other', () => {
    expect(reason(decide(claim('<'), evidence(0.8, 0.9, 0.001)))).toBe('supported');
    expect(reason(decide(claim('>'), evidence(0.8, 0.9, 0.001)))).toBe('contradicted');
    expect(reason(decide(claim('>'), evidence(5.2, 5.0, 0.01)))).toBe('supported');
  });

  it('calls a difference that the test does not find inconclusive, whatever its direction', () => {
    expect(reason(decide(claim('<'), evidence(0.8, 0.9, 0.05)))).toBe('not-significant');
    expect(reason(decide(claim('<', { alpha: 0.01 }), evidence(0.8, 0.9, 0.02)))).toBe('not-significant');
    expect(reason(decide(claim('<'), { ...evidence(0.8, 0.9, null), test: null }))).toBe('no-test');
    expect(reason(decide(claim('<'), evidence(0.8, 0.9, null)))).toBe('no-test');
  });

  it('asks for seeds before anything else, and for values before seeds', () => {
    expect(decide(claim('<', { minSeeds: 5 }), evidence(0.8, 0.9, 0.001, 3))).toEqual(expect.objectContaining({ reason: 'too-few-seeds', needed: 5 }));
    expect(reason(decide(claim('<', { minSeeds: 5 }), evidence(null, 0.9, 0.001, 3)))).toBe('no-values');
  });

  it('supports ≈ within the margin without a test, contradicts it beyond only when significant', () => {
    expect(reason(decide(claim('≈', { margin: 0.02 }), evidence(0.89, 0.9, 0.001)))).toBe('supported');
    expect(reason(decide(claim('≈', { margin: 0.02 }), evidence(0.8, 0.9, 0.001)))).toBe('contradicted');
    expect(reason(decide(claim('≈', { margin: 0.02 }), evidence(0.8, 0.9, 0.3)))).toBe('not-significant');
  });
});

describe('exit code', () => {
  const supported = decide(claim('<'), evidence(0.8, 0.9, 0.001));
  const contradicted = decide(claim('>'), evidence(0.8, 0.9, 0.001));
  const missing: ClaimOutcome = { reason: 'missing-results', evidenceNode: 't', toRun: ['t'] };
  it('is 0 when all are supported, 1 otherwise, 2 when results are missing', () => {
    expect(checkExitCode([supported, supported])).toBe(0);
    expect(checkExitCode([supported, contradicted])).toBe(1);
    expect(checkExitCode([supported, { reason: 'no-evidence-node', message: 'x' }])).toBe(1);
    expect(checkExitCode([contradicted, missing])).toBe(2);
  });
});

test("the claim metrics are Table 1's columns", () => {
  expect([...CLAIM_METRICS].sort()).toEqual(METRIC_NAMES.flatMap((m) => STRUCTURE_NAMES.map((s) => `${m}_${s}`)).sort());
});
