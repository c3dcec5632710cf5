import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';

/** A tensor with the name it is stored under (tfjs's NamedTensor, which its index does not export). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/**
 * Named tensors as TensorFlow.js writes them: one binary file of little-endian values plus a
 * weights-manifest group ({paths, weights: [{name, shape, dtype}]}) that says how to cut it. The
 * encoding is tfjs's own (`tf.io.encodeWeights`), so the files are what `tf.loadLayersModel`
 * and the Python converter read; writing them ourselves avoids needing tfjs-node's file handler.
 */
export async function writeWeightGroup(dir: string, binFile: string, tensors: NamedTensor[]): Promise<tf.io.WeightsManifestConfig> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await fs.writeFile(path.join(dir, binFile), Buffer.from(data));
  return [{ paths: [binFile], weights: specs }];
}

/** Reads every group of a manifest relative to `dir`; errors name the manifest's file. */
export async function readWeightGroups(dir: string, manifest: tf.io.WeightsManifestConfig, manifestFile: string): Promise<tf.NamedTensorMap> {
  const out: tf.NamedTensorMap = {};
  for (const group of manifest) {
    const buffers = await Promise.all(
      group.paths.map(async (file) => {
        try {
          return await fs.readFile(path.join(dir, file));
        } catch {
          throw new Error(`${manifestFile}: weight file "${file}" is missing beside it`);
        }
      }),
    );
    const joined = Buffer.concat(buffers);
    const expected = group.weights.reduce((sum, spec) => sum + bytesOf(spec), 0);
    if (joined.length !== expected) {
      throw new Error(`${manifestFile}: weight files ${group.paths.join(', ')} hold ${joined.length} bytes, the manifest describes ${expected}`);
    }
    const data = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.length);
    Object.assign(out, tf.io.decodeWeights(data, group.weights));
  }
  return out;
}

function bytesOf(spec: tf.io.WeightsManifestEntry): number {
  if (spec.quantization !== undefined) throw new Error(`weight "${spec.name}" is quantised, which cardigan does not read`);
  const perValue = spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : spec.dtype === 'bool' ? 1 : NaN;
  return perValue * spec.shape.reduce((a, b) => a * b, 1);
}
