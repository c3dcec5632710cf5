import { readFileSync } from 'fs';
import * as path from 'path';
import { useBackend } from '../backend';
import { GOLDEN_NETWORKS, type GoldenNetwork, gradientsOff, type StepFigures, stepFigures } from './steps';

/**
 * "The same seeds give the same numbers": the untrained model's predictions and the first three
 * training steps of the U-Net and the ENet on wasm against golden-steps.json, recorded with the
 * kernels of 9e5ecb2, before cardigan's kernels for ENet (slice/split, 1×1 filter gradients, PReLU,
 * max-pool masks and unpooling, batch norm) replaced tfjs's compositions. Those add in another order
 * (some in float64), so the tolerances are float32 rounding carried through a pass: 1e-5 on the
 * first loss and the untrained logits, 1e-4 of a gradient's norm. Adam then amplifies rounding: its
 * first updates are ±lr for a gradient of either sign, however near zero, so later losses get 1e-3
 * and the logits after three steps 1e-2 (the cpu backend, which adds in yet another order, lands
 * 0.5 % away for the ENet).
 */
const golden = JSON.parse(readFileSync(path.join(__dirname, 'golden-steps.json'), 'utf8')) as Record<GoldenNetwork, StepFigures>;

beforeAll(() => useBackend('wasm'));

describe.each(Object.keys(GOLDEN_NETWORKS) as GoldenNetwork[])('%s on wasm: the first training steps as before the kernel rewrites', (name) => {
  const want = golden[name];
  let got: StepFigures;
  beforeAll(() => {
    got = stepFigures(name);
  });

  it('predicts the same logits before training', () => {
    const scale = Math.abs(want.initialLogits[0]) + Math.abs(want.initialLogits[1]);
    got.initialLogits.forEach((value, i) => expect(Math.abs(value - want.initialLogits[i])).toBeLessThanOrEqual(1e-5 * scale));
  });

  it('has the same losses', () => {
    expect(Math.abs(got.losses[0] - want.losses[0])).toBeLessThanOrEqual(1e-5 * Math.abs(want.losses[0]));
    got.losses.forEach((loss, i) => expect(Math.abs(loss - want.losses[i])).toBeLessThanOrEqual(1e-3 * Math.abs(want.losses[i])));
  });

  it('has the same gradient for every weight of the first step', () => {
    expect(gradientsOff(got.gradients, want.gradients, 1e-4, 1e-7)).toEqual([]);
  });

  it('predicts nearly the same logits after the steps', () => {
    const scale = Math.abs(want.logits[0]) + Math.abs(want.logits[1]);
    got.logits.forEach((value, i) => expect(Math.abs(value - want.logits[i])).toBeLessThanOrEqual(1e-2 * scale));
  });
});
