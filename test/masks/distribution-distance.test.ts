import { ksStatistic, wassersteinDistance } from '../../nodes/masks/distribution-distance';
import { mulberry32, normal, randomInt } from '../../nodes/data/random';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

describe('distribution distances', () => {
  it('match scipy.stats.wasserstein_distance and ks_2samp on samples of different sizes, with ties', () => {
    const random = mulberry32(5);
    const cases = [
      [Array.from({ length: 40 }, () => normal(random)), Array.from({ length: 73 }, () => 0.7 + 1.5 * normal(random))],
      [Array.from({ length: 25 }, () => randomInt(random, 6)), Array.from({ length: 31 }, () => randomInt(random, 4) + 1)],
      [
        [1, 2, 3],
        [1, 2, 3],
      ],
      [[0], [10, 20]],
    ];
    const script = `
import sys, json
from scipy import stats
out = []
for u, v in json.loads(sys.argv[1]):
    out.append([stats.wasserstein_distance(u, v), stats.ks_2samp(u, v).statistic])
print(json.dumps(out))`;
    const expected: number[][] = JSON.parse(references.run(script, [JSON.stringify(cases)]));
    cases.forEach(([u, v], i) => {
      expect(wassersteinDistance(u, v)).toBeCloseTo(expected[i][0], 10);
      expect(ksStatistic(u, v)).toBeCloseTo(expected[i][1], 10);
    });
  });

  it('refuses empty samples and values that are not finite', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(/first sample is empty/);
    expect(() => ksStatistic([1], [NaN])).toThrow(/second sample has a value that is not finite/);
  });
});
