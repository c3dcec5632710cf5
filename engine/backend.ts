// Placeholder replaced by the backend selection work (backend branch): wasm, else cpu.
import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from './kernels/gradients';
import { registerWasmTrainingKernels } from './kernels/wasm';

export type BackendChoice = 'auto' | 'gpu' | 'node' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tfjs backend name actually in use: `tensorflow`, `wasm` or `cpu`. */
  name: string;
  /** What the user asked for. */
  requested: BackendChoice;
  /** One line per backend that was tried and skipped, with the reason. */
  skipped: string[];
}

export async function initBackend(requested: BackendChoice = 'auto'): Promise<BackendInfo> {
  require('@tensorflow/tfjs-backend-cpu');
  registerGradients();
  if (requested === 'cpu' || !(await tryWasm())) {
    await tf.setBackend('cpu');
  }
  await tf.ready();
  return { name: tf.getBackend(), requested, skipped: [] };
}

async function tryWasm(): Promise<boolean> {
  require('@tensorflow/tfjs-backend-wasm');
  registerWasmTrainingKernels();
  return tf.setBackend('wasm');
}
