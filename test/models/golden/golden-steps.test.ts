import { readFileSync } from 'fs';
import * as path from 'path';
import { useBackend } from '../backend';
import { GOLDEN_NETWORKS, type GoldenNetwork, type StepFigures, stepFigures } from './steps';

/**
 * "The same seeds give the same numbers": the first three training steps of the U-Net and the ENet
 * on wasm against golden-steps.json, recorded at 9e5ecb2, before cardigan's kernels for ENet
 * (slice/split, PReLU, max-pool masks and unpooling, dropout) replaced tfjs's compositions. Those
 * kernels add in a different order (and some in float64), so the tolerances are float32 rounding
 * carried through a step: 1e-4 of a gradient's norm, 1e-5 on the first loss; later steps and the
 * evaluation logits follow Adam, whose first updates are ±lr for any gradient of the same sign, so
 * rounding moves them a little more (1e-3 relative).
 */
const golden = JSON.parse(readFileSync(path.join(__dirname, 'golden-steps.json'), 'utf8')) as Record<GoldenNetwork, StepFigures>;

beforeAll(() => useBackend('wasm'));

describe.each(Object.keys(GOLDEN_NETWORKS) as GoldenNetwork[])('%s on wasm: the first training steps as before the kernel rewrites', (name) => {
  const want = golden[name];
  let got: StepFigures;
  beforeAll(() => {
    got = stepFigures(name);
  });

  it('has the same losses', () => {
    expect(Math.abs(got.losses[0] - want.losses[0])).toBeLessThanOrEqual(1e-5 * Math.abs(want.losses[0]));
    got.losses.forEach((loss, i) => expect(Math.abs(loss - want.losses[i])).toBeLessThanOrEqual(1e-3 * Math.abs(want.losses[i])));
  });

  it('has the same gradient for every weight of the first step', () => {
    expect(got.gradients.map(([weight]) => weight)).toEqual(want.gradients.map(([weight]) => weight));
    const off = got.gradients.filter(([, norm, proj], i) => {
      const [, wantNorm, wantProj] = want.gradients[i];
      const tolerance = 1e-4 * wantNorm + 1e-7;
      return Math.abs(norm - wantNorm) > tolerance || Math.abs(proj - wantProj) > tolerance;
    });
    expect(off.map(([weight, norm, proj]) => `${weight} ${norm} ${proj}`)).toEqual([]);
  });

  it('predicts the same logits afterwards', () => {
    const [sum, proj] = got.logits;
    const scale = Math.abs(want.logits[0]) + Math.abs(want.logits[1]);
    expect(Math.abs(sum - want.logits[0])).toBeLessThanOrEqual(1e-3 * scale);
    expect(Math.abs(proj - want.logits[1])).toBeLessThanOrEqual(1e-3 * scale);
  });
});
