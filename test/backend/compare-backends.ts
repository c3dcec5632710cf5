import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerCardiganKernels } from '../../engine/compute/kernels';

export type Backend = 'cpu' | 'wasm' | 'webgpu';

/** Runs `fn` on one backend (webgpu once initBackend('webgpu') started it) and brings its tensors back as plain arrays, leaking nothing. */
export async function onBackend(backend: Backend, fn: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  registerCardiganKernels();
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} failed to initialise`);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(fn);
  const list = Array.isArray(outs) ? outs : [outs];
  const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(list);
  expect(tf.memory().numTensors).toBe(before);
  return values;
}

/** Largest absolute difference relative to the largest reference magnitude. */
export function relativeError(reference: Float32Array, actual: Float32Array): number {
  expect(actual.length).toBe(reference.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) {
    diff = Math.max(diff, Math.abs(reference[i] - actual[i]));
    scale = Math.max(scale, Math.abs(reference[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Same computation on cpu and wasm; every output must agree to `tolerance` relative. */
export async function expectWasmMatchesCpu(fn: () => tf.Tensor | tf.Tensor[], tolerance = 1e-3): Promise<void> {
  const reference = await onBackend('cpu', fn);
  const actual = await onBackend('wasm', fn);
  expect(actual.length).toBe(reference.length);
  reference.forEach((r, i) => {
    const error = relativeError(r, actual[i]);
    if (!(error <= tolerance)) throw new Error(`output ${i}: relative error ${error} > ${tolerance}`);
  });
}

/** Seeded values so both backends see identical inputs. */
export function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}
