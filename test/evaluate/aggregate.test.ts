import { meanStd, pixelScores, summariseModel } from '../../nodes/evaluate/aggregate';
import type { ImageScore } from '../../nodes/evaluate/image-score';
import { confusionMatrix } from '../../nodes/evaluate/image-score';
import type { Phase } from '../../nodes/data/dataset-artifact';

/** A per-image row with the given endo Dice and HD; every other metric copies them. */
function score(phase: Phase, dice: number, hd: number, valid: boolean, confusion: number[] = new Array(16).fill(0)): ImageScore {
  const m = { dice, hd, assd: hd / 2, hd95: hd, mad: hd / 2 };
  return {
    model: 'unet',
    item: { id: `x${dice}`, patient: 'p', view: '4CH', phase, source: 'real' },
    size: [4, 4],
    spacing: [1, 1],
    metrics: { endo: m, epi: { ...m }, la: { ...m } },
    valid,
    failures: valid ? [] : ['structures-present'],
    confusion,
    files: { prediction: 'p.png', groundTruth: 'g.png' },
  };
}

describe('aggregation', () => {
  const scores = [score('ED', 0.9, 2, true), score('ED', 0.8, NaN, false), score('ES', 0.7, 4, true), score('ES', 1.0, 6, true)];
  const groups = summariseModel(scores);

  it('gives mean ± population std over all images and over ED and ES separately', () => {
    const all = groups.all?.metrics.endo;
    expect(all?.dice.mean).toBeCloseTo(0.85, 12);
    expect(all?.dice.std).toBeCloseTo(Math.sqrt((0.05 ** 2 + 0.05 ** 2 + 0.15 ** 2 + 0.15 ** 2) / 4), 12);
    expect(groups.ED?.metrics.endo.dice.mean).toBeCloseTo(0.85, 12);
    expect(groups.ED?.metrics.endo.dice.std).toBeCloseTo(0.05, 12);
    expect(groups.ES?.metrics.endo.dice.mean).toBeCloseTo(0.85, 12);
    expect(groups.ES?.metrics.endo.dice.std).toBeCloseTo(0.15, 12);
    expect([groups.all?.images, groups.ED?.images, groups.ES?.images]).toEqual([4, 2, 2]);
  });

  it('leaves NaN distances out of the mean and counts them', () => {
    expect(groups.all?.metrics.endo.hd).toEqual({ mean: 4, std: Math.sqrt(8 / 3), n: 3, nan: 1 });
    expect(groups.all?.metrics.epi.assd).toEqual({ mean: 2, std: Math.sqrt(8 / 3) / 2, n: 3, nan: 1 });
    expect(groups.ED?.metrics.endo.hd).toEqual({ mean: 2, std: 0, n: 1, nan: 1 });
    expect(groups.ES?.metrics.endo.hd).toEqual({ mean: 5, std: 1, n: 2, nan: 0 });
    expect(meanStd([NaN, NaN])).toEqual({ mean: null, std: null, n: 0, nan: 2 });
  });

  it('counts anatomically valid predictions per group', () => {
    expect(groups.all?.valid).toEqual({ count: 3, fraction: 0.75 });
    expect(groups.ED?.valid).toEqual({ count: 1, fraction: 0.5 });
    expect(groups.ES?.valid).toEqual({ count: 2, fraction: 1 });
  });

  it('omits a phase the test set lacks', () => {
    const edOnly = summariseModel([score('ED', 0.5, 1, true)]);
    expect(Object.keys(edOnly)).toEqual(['all', 'ED']);
  });

  it('pools pixels over images for IoU, mean IoU and pixel accuracy', () => {
    // Image a: 3 background right, 1 LV predicted as background. Image b: 2 LV right, 2 background predicted as LV.
    const a = confusionMatrix(Uint8Array.of(0, 0, 0, 0), Uint8Array.of(0, 0, 0, 1));
    const b = confusionMatrix(Uint8Array.of(1, 1, 1, 1), Uint8Array.of(1, 1, 0, 0));
    const pooled = pixelScores([a, b]);
    // background: 3 right, union 3 + 1 + 2 = 6; LV: 2 right, union 2 + 1 + 2 = 5; MYO and LA absent.
    expect(pooled.iou).toEqual([3 / 6, 2 / 5, null, null]);
    expect(pooled.miou).toBeCloseTo((0.5 + 0.4) / 2, 12);
    expect(pooled.accuracy).toBe(5 / 8);
    expect(summariseModel([score('ED', 1, 1, true, a), score('ES', 1, 1, true, b)]).all?.pixels).toEqual(pooled);
  });
});
