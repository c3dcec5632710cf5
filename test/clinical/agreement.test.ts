import { agreement, pearson } from '../../nodes/clinical/agreement';

describe('agreement statistics', () => {
  it('computes r, bias, SD (n − 1), limits of agreement and MAE of a hand case', () => {
    const reference = [100, 120, 140, 160];
    const predicted = [102, 118, 145, 161];
    // differences 2, −2, 5, 1: bias 1.5, SD √(12.25+... )/3
    const d = [2, -2, 5, 1];
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - 1.5) ** 2, 0) / 3);
    const a = agreement(reference, predicted);
    expect(a.n).toBe(4);
    expect(a.bias).toBeCloseTo(1.5, 12);
    expect(a.sd).toBeCloseTo(sd, 12);
    expect(a.loa?.[0]).toBeCloseTo(1.5 - 1.96 * sd, 12);
    expect(a.loa?.[1]).toBeCloseTo(1.5 + 1.96 * sd, 12);
    expect(a.mae).toBeCloseTo(2.5, 12);
    expect(a.r).toBeGreaterThan(0.98);
  });

  it('gives Pearson r of ±1 on lines and null when a side is constant', () => {
    expect(pearson([1, 2, 3], [3, 5, 7])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 2, 3], [4, 4, 4])).toBeNull();
  });

  it('has no SD or limits with one patient, and nothing with none', () => {
    expect(agreement([50], [55])).toEqual({ n: 1, r: null, bias: 5, sd: null, loa: null, mae: 5 });
    expect(agreement([], [])).toEqual({ n: 0, r: null, bias: null, sd: null, loa: null, mae: null });
  });
});
