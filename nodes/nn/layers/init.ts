import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../training/rng';

/**
 * Seeded weight initialisers. tfjs's random ops fill their buffers in JavaScript from a seeded Alea
 * stream, so the same seed gives the same weights on every backend.
 */
export type KernelInit = 'he-normal' | 'glorot-uniform';

/**
 * @param fanIn inputs feeding one output unit (kh·kw·inChannels)
 * @param fanOut outputs one input unit feeds (kh·kw·outChannels)
 */
export function initKernel(kind: KernelInit, shape: number[], fanIn: number, fanOut: number, rng: Rng): tf.Tensor {
  switch (kind) {
    case 'he-normal':
      // He et al. 2015: keeps activation variance through ReLU layers.
      return tf.truncatedNormal(shape, 0, Math.sqrt(2 / fanIn) / TRUNCATED_STD, 'float32', rng.seed());
    case 'glorot-uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return tf.randomUniform(shape, -limit, limit, 'float32', rng.seed());
    }
  }
}

/** Standard deviation of a unit normal truncated at ±2σ, which truncatedNormal draws from. */
const TRUNCATED_STD = 0.8796256610342398;
