import { Random } from '../../nodes/data/random';
import { wilcoxonSignedRank } from '../../nodes/evaluate/wilcoxon';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

/**
 * The paired test against SciPy's `scipy.stats.wilcoxon` (Debian's SciPy 1.10) on random paired
 * samples: small and large, with ties, with zero differences, both. SciPy is called with the method
 * our rule picks (exact only for n ≤ 50 without zeros or ties), so that its `auto` quirk with ties
 * (an exact branch on non-integer ranks) does not stand in for the reference.
 */

interface Case {
  name: string;
  x: number[];
  y: number[];
}

function cases(): Case[] {
  const random = new Random(20261127);
  const normal = (n: number, shift: number): number[] => Array.from({ length: n }, () => random.normal() + shift);
  const rounded = (values: number[], step: number): number[] => values.map((v) => Math.round(v / step) * step);
  const out: Case[] = [];
  for (const n of [6, 12, 30, 50]) {
    const y = normal(n, 0);
    out.push({ name: `exact, n=${n}`, x: y.map((v) => v + random.normal() * 0.5 + 0.2), y });
  }
  for (const n of [51, 80, 200]) {
    const y = normal(n, 0);
    out.push({ name: `normal, n=${n}`, x: y.map((v) => v + random.normal() * 0.5 + 0.05), y });
  }
  // Ties in |x − y| (values on a coarse grid), without zeros: the normal approximation with the tie correction.
  for (const n of [20, 120]) {
    const x = rounded(normal(n, 0.3), 0.25);
    const y = x.map((v, i) => v + (i % 2 === 0 ? 0.25 : -0.5) * (1 + (i % 3)));
    out.push({ name: `ties, n=${n}`, x, y });
  }
  // Zero differences (dropped) and ties.
  for (const n of [15, 40, 150]) {
    const y = rounded(normal(n, 0), 0.1);
    const x = y.map((v, i) => (i % 5 === 0 ? v : Math.round((v + random.normal() * 0.3 + 0.05) * 10) / 10));
    out.push({ name: `zeros and ties, n=${n}`, x, y });
  }
  // A clear difference: the tails.
  const y = normal(60, 0);
  out.push({ name: 'strong shift, n=60', x: y.map((v) => v + 0.8 + random.normal() * 0.3), y });
  out.push({ name: 'all one sign, n=10', x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], y: [0.5, 1.1, 2.3, 3.05, 4.7, 5.2, 6.1, 7.4, 8.9, 9.0] });
  return out;
}

describe('wilcoxonSignedRank against scipy.stats.wilcoxon', () => {
  const all = cases();
  const ours = all.map((c) => wilcoxonSignedRank(c.x, c.y));
  const script = `
import json, sys, warnings
import numpy as np
from scipy.stats import wilcoxon
warnings.simplefilter('ignore')
out = []
for case, method in zip(json.loads(sys.argv[1]), json.loads(sys.argv[2])):
    x, y = np.array(case['x']), np.array(case['y'])
    r = wilcoxon(x, y, method=method)
    out.append({'statistic': float(r.statistic), 'p': float(r.pvalue), 'median': float(np.median(x - y))})
print(json.dumps(out))
`;
  const scipy = JSON.parse(references.run(script, [JSON.stringify(all), JSON.stringify(ours.map((r) => (r.method === 'exact' ? 'exact' : 'approx')))])) as {
    statistic: number;
    p: number;
    median: number;
  }[];

  it('uses both methods, and the normal approximation wherever there are zeros or ties', () => {
    expect(ours.map((r) => r.method)).toEqual(all.map((c) => (c.name.startsWith('exact') || c.name.startsWith('all one sign') ? 'exact' : 'normal')));
    expect(ours.filter((r) => r.zeros > 0).length).toBe(3);
  });

  it.each(all.map((c, i) => [c.name, i] as const))('%s: same statistic, p-value and median difference', (_name, i) => {
    expect(Math.abs(ours[i].statistic - scipy[i].statistic)).toBeLessThan(1e-9);
    expect(Math.abs((ours[i].pValue ?? NaN) - scipy[i].p)).toBeLessThan(1e-6);
    expect(Math.abs(ours[i].medianDifference - scipy[i].median)).toBeLessThan(1e-12);
  });

  it('resolves the small p-values SciPy gives (relative error below 1e-3 down to 1e-12)', () => {
    const small = scipy.map((s, i) => ({ s, ours: ours[i] })).filter(({ s }) => s.p < 1e-3 && s.p > 1e-12);
    expect(small.length).toBeGreaterThan(0);
    for (const { s, ours: r } of small) expect(Math.abs((r.pValue ?? NaN) / s.p - 1)).toBeLessThan(1e-3);
  });

  it('counts dropped zeros in n, and has no test when every difference is zero', () => {
    const r = wilcoxonSignedRank([1, 2, 3, 4], [1, 2, 2, 5]);
    expect([r.n, r.zeros, r.statistic, r.rankSumPositive]).toEqual([2, 2, 1.5, 1.5]);
    expect(wilcoxonSignedRank([1, 2], [1, 2])).toMatchObject({ n: 0, pValue: null, method: null, medianDifference: 0 });
    expect(wilcoxonSignedRank([3], [1])).toMatchObject({ n: 1, statistic: 0, pValue: 1, method: 'exact' });
    expect(() => wilcoxonSignedRank([1, NaN], [1, 2])).toThrow(/finite/);
  });
});
