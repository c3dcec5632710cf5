import { deriveSeed, Random } from '../../nodes/data/random';

function moments(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  return { mean, sd: Math.sqrt(variance) };
}

describe('Random', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('forks named streams: same parent and label, same stream; another label, another stream', () => {
    const draw = (random: Random) => [random.next(), random.next(), random.next()];
    expect(draw(new Random(7).fork('speckle'))).toEqual(draw(new Random(7).fork('speckle')));
    expect(draw(new Random(7).fork('speckle'))).not.toEqual(draw(new Random(7).fork('anatomy')));
    expect(deriveSeed(7, 'a')).not.toBe(deriveSeed(7, 'b'));
  });

  it('draws uniform values in [0, 1) with mean 1/2', () => {
    const random = new Random(1);
    const values = Array.from({ length: 20000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(moments(values).mean).toBeCloseTo(0.5, 1);
  });

  it('draws normals with the requested mean and sd', () => {
    const random = new Random(2);
    const { mean, sd } = moments(Array.from({ length: 20000 }, () => random.normal(3, 2)));
    expect(mean).toBeCloseTo(3, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('draws Rayleigh values with mean sigma·sqrt(pi/2)', () => {
    const random = new Random(3);
    const values = Array.from({ length: 20000 }, () => random.rayleigh(2));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(moments(values).mean).toBeCloseTo(2 * Math.sqrt(Math.PI / 2), 1);
  });

  it('shuffles into a permutation and picks by weight', () => {
    const random = new Random(4);
    const shuffled = random.shuffle([1, 2, 3, 4, 5, 6]);
    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    const picks = Array.from({ length: 3000 }, () => random.weighted(['a', 'b'], [3, 1]));
    expect(picks.filter((p) => p === 'a').length / picks.length).toBeCloseTo(0.75, 1);
  });
});
