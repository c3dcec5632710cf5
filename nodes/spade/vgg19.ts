import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../engine';
import { readWeightGroups } from '../nn/weight-files';

/**
 * VGG19 features for SPADE's perceptual loss, from TensorFlow.js weights of Keras's VGG19 (a
 * `model.json` + weight files as `tensorflowjs_converter` writes them for
 * `keras.applications.VGG19`). Only the layers up to block5_conv1 are read. No such weights can be
 * downloaded here, so the loss is off unless the user points at a copy.
 */

/** Keras's conv layer names through block5_conv1; a 2×2 max-pool follows the last of each block. */
const LAYERS: Array<{ name: string; poolAfter: boolean; feature: boolean }> = [
  ['block1_conv1', false, true],
  ['block1_conv2', true, false],
  ['block2_conv1', false, true],
  ['block2_conv2', true, false],
  ['block3_conv1', false, true],
  ['block3_conv2', false, false],
  ['block3_conv3', false, false],
  ['block3_conv4', true, false],
  ['block4_conv1', false, true],
  ['block4_conv2', false, false],
  ['block4_conv3', false, false],
  ['block4_conv4', true, false],
  ['block5_conv1', false, true],
].map(([name, poolAfter, feature]) => ({ name: name as string, poolAfter: poolAfter as boolean, feature: feature as boolean }));

/** VGG19's channels per block. */
const CHANNELS = [64, 128, 256, 512, 512];

/** NVlabs's VGGLoss weights of relu1_1 … relu5_1. */
const FEATURE_WEIGHTS = [1 / 32, 1 / 16, 1 / 8, 1 / 4, 1];

/** Keras's `caffe` preprocessing: BGR channels minus these means, on 0..255 intensities. */
const BGR_MEAN = [103.939, 116.779, 123.68];

interface ConvWeights {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
}

export class Vgg19 {
  private constructor(private readonly convs: ConvWeights[]) {}

  /** Reads the weights from a folder holding `model.json`, or from the `model.json` file itself. */
  static async load(location: string): Promise<Vgg19> {
    const file = location.endsWith('.json') ? location : path.join(location, 'model.json');
    let json: { weightsManifest?: tf.io.WeightsManifestConfig };
    try {
      json = JSON.parse(await fs.readFile(file, 'utf8')) as typeof json;
    } catch (error) {
      throw new UserError(
        `vgg19Weights: cannot read ${file} (${(error as Error).message}); point it at the model.json of a tfjs conversion of keras.applications.VGG19`,
      );
    }
    if (!Array.isArray(json.weightsManifest)) throw new UserError(`${file}: no weightsManifest; expected a TensorFlow.js model.json of VGG19`);
    const stored = await readWeightGroups(path.dirname(file), json.weightsManifest, file);
    let convs: ConvWeights[];
    try {
      convs = LAYERS.map(({ name }, i) =>
        checkShape({ kernel: find(stored, `${name}/kernel`, file) as tf.Tensor4D, bias: find(stored, `${name}/bias`, file) as tf.Tensor1D }, i, file),
      );
    } catch (error) {
      tf.dispose(Object.values(stored));
      throw error;
    }
    const kept = new Set<tf.Tensor>(convs.flatMap(({ kernel, bias }) => [kernel, bias]));
    tf.dispose(Object.values(stored).filter((t) => !kept.has(t)));
    return new Vgg19(convs);
  }

  /** relu1_1, relu2_1, relu3_1, relu4_1, relu5_1 of grey images in [-1, 1] [N, H, W, 1]. */
  features(image: tf.Tensor4D): tf.Tensor4D[] {
    return tf.tidy(() => {
      const intensity = tf.mul(tf.add(image, 1), 127.5);
      let x = tf.sub(tf.concat([intensity, intensity, intensity], 3), tf.tensor1d(BGR_MEAN)) as tf.Tensor4D;
      const out: tf.Tensor4D[] = [];
      LAYERS.forEach(({ poolAfter, feature }, i) => {
        const { kernel, bias } = this.convs[i];
        x = tf.relu(tf.add(tf.conv2d(x, kernel, 1, 'same'), bias));
        if (feature) out.push(x);
        if (poolAfter) x = tf.maxPool(x, 2, 2, 'valid');
      });
      return out;
    });
  }

  /** NVlabs's VGGLoss: Σ wᵢ · L1(φᵢ(fake), φᵢ(real)), the real features held constant. */
  loss(fake: tf.Tensor4D, real: tf.Tensor4D): tf.Scalar {
    return tf.tidy(() => {
      const a = this.features(fake);
      const b = this.features(real);
      return tf.addN(a.map((f, i) => tf.mul(tf.mean(tf.abs(tf.sub(f, b[i]))), FEATURE_WEIGHTS[i]))) as tf.Scalar;
    });
  }

  dispose(): void {
    for (const { kernel, bias } of this.convs) tf.dispose([kernel, bias]);
  }
}

/** A weight whose stored name ends with `suffix` (converters may prefix the model's name). */
function find(stored: tf.NamedTensorMap, suffix: string, file: string): tf.Tensor {
  const name = Object.keys(stored).find((key) => key === suffix || key.endsWith(`/${suffix}`));
  if (name === undefined) throw new UserError(`${file}: no weight named "${suffix}"; expected Keras VGG19 layer names (block1_conv1 … block5_conv1)`);
  return stored[name];
}

function checkShape(w: ConvWeights, index: number, file: string): ConvWeights {
  const block = Number(LAYERS[index].name[5]) - 1;
  const out = CHANNELS[block];
  const previous = index === 0 ? 3 : LAYERS[index - 1].name[5] === LAYERS[index].name[5] ? out : CHANNELS[block - 1];
  const expected = [3, 3, previous, out];
  if (w.kernel.shape.join('x') !== expected.join('x') || w.bias.shape[0] !== out) {
    throw new UserError(
      `${file}: ${LAYERS[index].name} has kernel [${w.kernel.shape.join(', ')}] and bias [${w.bias.shape.join(', ')}], VGG19 needs [${expected.join(', ')}] and [${out}]`,
    );
  }
  return w;
}
