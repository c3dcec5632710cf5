import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../engine/compute/backend';
import { GOLDEN_NETWORKS, type GoldenNetwork, type StepFigures, stepFigures } from '../models/golden/steps';
import { onBackend, relativeError } from './compare-backends';
import { SWIFTSHADER, withVulkanDriver } from './vulkan-driver';

/**
 * The models on webgpu (SwiftShader standing in for a GPU) against wasm, at a tiny size (32 px,
 * batch 2, width 8): the untrained model's predictions, the first step's loss and every weight's
 * gradient, and the losses of the next two steps. webgpu runs tfjs's compositions where wasm runs
 * cardigan's kernels (batch norm, PReLU's gradient, max-unpooling, Adam), in float32 with other
 * summation orders, so: 1e-5 on the predictions and the first loss, 5e-4 of a gradient's norm,
 * 2e-3 on the later losses (after Adam's first steps, see test/models/golden). The logits after
 * the steps are not compared: Adam's sign-like first updates make them differ by a few percent
 * between any two summation orders.
 */
const quiet = { log: () => undefined };

beforeAll(() => withVulkanDriver(SWIFTSHADER, () => initBackend('webgpu', quiet)));

describe.each(Object.keys(GOLDEN_NETWORKS) as GoldenNetwork[])('%s on webgpu', (name) => {
  let wasm: StepFigures;
  let webgpu: StepFigures;
  beforeAll(async () => {
    await initBackend('wasm', quiet);
    wasm = stepFigures(name);
    await initBackend('webgpu', quiet);
    webgpu = stepFigures(name);
  });

  it('predicts what wasm predicts before training', () => {
    const scale = Math.abs(wasm.initialLogits[0]) + Math.abs(wasm.initialLogits[1]);
    webgpu.initialLogits.forEach((value, i) => expect(Math.abs(value - wasm.initialLogits[i])).toBeLessThanOrEqual(1e-5 * scale));
  });

  it("has wasm's first loss and every weight's gradient", () => {
    expect(Math.abs(webgpu.losses[0] - wasm.losses[0])).toBeLessThanOrEqual(1e-5 * wasm.losses[0]);
    const off = webgpu.gradients.filter(([, norm, proj], i) => {
      const [, wantNorm, wantProj] = wasm.gradients[i];
      const tolerance = 5e-4 * wantNorm + 1e-6;
      return Math.abs(norm - wantNorm) > tolerance || Math.abs(proj - wantProj) > tolerance;
    });
    expect(off.map(([weight, norm, proj]) => `${weight} ${norm} ${proj}`)).toEqual([]);
    expect(wasm.gradients.some(([, norm]) => norm > 0.1)).toBe(true);
  });

  it("has wasm's losses over the next Adam steps", () => {
    webgpu.losses.forEach((loss, i) => expect(Math.abs(loss - wasm.losses[i])).toBeLessThanOrEqual(2e-3 * wasm.losses[i]));
  });
});

describe('integer tensors on webgpu', () => {
  it('transposes int32 and bool tensors of rank 3 and 4, and sums int32 over leading axes, as cpu does', async () => {
    const compute = () => {
      const ints = tf.reshape(tf.range(0, 120, 1, 'int32'), [2, 3, 4, 5]);
      const bools = tf.greater(tf.reshape(tf.range(0, 24, 1, 'int32'), [2, 3, 4]), 11);
      const oneHot = tf.oneHot(tf.tensor3d([0, 2, 1, 3, 3, 1, 0, 2], [2, 2, 2], 'int32'), 4);
      return [
        tf.transpose(ints, [3, 0, 1, 2]),
        tf.transpose(ints, [0, 2, 1, 3]),
        tf.cast(tf.transpose(bools, [2, 0, 1]), 'int32'),
        tf.sum(oneHot, [0, 1, 2]),
      ].map((t) => tf.cast(t, 'float32'));
    };
    const cpu = await onBackend('cpu', compute);
    const gpu = await onBackend('webgpu', compute);
    cpu.forEach((reference, i) => expect(relativeError(reference, gpu[i])).toBe(0));
    expect(Array.from(gpu[3])).toEqual([2, 2, 2, 2]);
  });
});
