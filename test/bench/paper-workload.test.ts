import * as path from 'path';
import { paperWork, projectHours } from './paper-workload';

const ROOT = path.join(__dirname, '..', '..');

describe("paper.yaml's workload for the gpu bench's projection", () => {
  it("counts images from the experiment file, schema defaults and the paper's dataset sizes", () => {
    const work = Object.fromEntries(paperWork(ROOT).map((w) => [w.model, w.images]));
    // U-Net and ENet: 40 epochs (paper.yaml's defaults) on 1600 + 6234 + 4634 images.
    expect(work.unet).toBe(40 * 12468);
    expect(work.enet).toBe(40 * 12468);
    // SPADE: 50 epochs (its params) of 1800 images; the mask VAE: the schema's 100 epochs of 1600 masks.
    expect(work.spade).toBe(50 * 1800);
    expect(work['mask-vae']).toBe(100 * 1600);
    expect(work.generate).toBe(4634);
  });

  it('turns images/s into hours per workload and in all, and says when a rate is missing', () => {
    const work = paperWork(ROOT);
    const rates = { spade: 90, unet: 100, enet: 200, 'mask-vae': 400, generate: 4634 / 36 };
    const { total, byModel } = projectHours(work, rates);
    expect(byModel.spade).toBeCloseTo((50 * 1800) / 90 / 3600, 9);
    expect(byModel.generate).toBeCloseTo(0.01, 9);
    expect(total).toBeCloseTo(
      Object.values(byModel).reduce((a, b) => a + (b ?? 0), 0),
      9,
    );
    const partial = projectHours(work, { ...rates, enet: undefined });
    expect(partial.total).toBeUndefined();
    expect(partial.byModel.unet).toBeCloseTo(byModel.unet as number, 9);
  });
});
