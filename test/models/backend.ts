import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../engine/compute/backend';

/** Selects a backend for a test file; `wasm` for anything that trains (the cpu backend is ~40× slower). */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const info = await initBackend(name);
  if (info.name !== name) throw new Error(`test wanted the ${name} backend, got ${info.name}`);
  expect(tf.getBackend()).toBe(name);
}
