import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining } from '../../engine/compute/kernels/batch-norm';

/**
 * The bench's own U-Net training step, written with raw tf ops so the benchmark does not wait on
 * (or change with) the models' code: the CAMUS U-Net of DESIGN.md §5 as vital builds it and as
 * test/bench/torch_reference.py builds it in PyTorch: encoder blocks of c, c, 2c, 4c, 4c channels
 * (c = 32) each followed by 2×2 max-pooling, a 4c bottleneck, decoder blocks of 4c, 4c, 2c, c, c/2
 * after nearest 2× upsampling + concatenation with the skip, a 1×1 classifier to 4 classes. A block
 * is two (3×3 conv + bias → ReLU → batch norm in training mode).
 *
 * `fused` (the default) writes a layer as the models should: tf.fused.conv2d with the bias (one
 * XNNPACK call; tfjs does not fuse the activation while taping gradients) and cardigan's
 * batchNormTraining with `relu` (ReLU, statistics and normalisation in one op that keeps only the
 * conv output for the backward pass); `plain` composes conv2d, add, relu, moments and
 * tf.batchNorm, for comparison.
 */
export interface UNetStep {
  /** One Adam step on a batch; returns the loss. */
  step(images: tf.Tensor4D, labels: tf.Tensor4D): tf.Scalar;
  readonly variables: tf.Variable[];
  dispose(): void;
}

interface Conv {
  kernel: tf.Variable;
  bias: tf.Variable;
}
interface Norm {
  gamma: tf.Variable;
  beta: tf.Variable;
}
type Block = Array<{ conv: Conv; norm: Norm }>;

export function createUNet(options: { initChannels?: number; classes?: number; seed?: number; variant?: 'fused' | 'plain' } = {}): UNetStep {
  const fused = (options.variant ?? 'fused') === 'fused';
  const c = options.initChannels ?? 32;
  const classes = options.classes ?? 4;
  let seed = options.seed ?? 1;
  const variables: tf.Variable[] = [];
  const variable = (t: tf.Tensor) => {
    const v = tf.variable(t);
    t.dispose();
    variables.push(v);
    return v;
  };
  const conv = (k: number, cin: number, cout: number): Conv => {
    const limit = Math.sqrt(6 / (k * k * (cin + cout)));
    return { kernel: variable(tf.randomUniform([k, k, cin, cout], -limit, limit, 'float32', seed++)), bias: variable(tf.zeros([cout])) };
  };
  const block = (cin: number, cout: number): Block =>
    [cin, cout].map((inputs) => ({ conv: conv(3, inputs, cout), norm: { gamma: variable(tf.ones([cout])), beta: variable(tf.zeros([cout])) } }));

  const encoderChannels = [c, c, 2 * c, 4 * c, 4 * c];
  let previous = 1;
  const encoders = encoderChannels.map((out) => {
    const b = block(previous, out);
    previous = out;
    return b;
  });
  const bottleneck = block(4 * c, 4 * c);
  previous = 4 * c;
  const decoders = [4 * c, 4 * c, 2 * c, c, c / 2].map((out, i) => {
    const b = block(previous + encoderChannels[encoderChannels.length - 1 - i], out);
    previous = out;
    return b;
  });
  const classifier = conv(1, c / 2, classes);

  const runBlock = (x: tf.Tensor4D, layers: Block): tf.Tensor4D =>
    layers.reduce<tf.Tensor4D>((h, { conv: cv, norm }) => {
      if (fused) {
        const y = tf.fused.conv2d({ x: h, filter: cv.kernel as tf.Tensor4D, strides: 1, pad: 'same', bias: cv.bias });
        return batchNormTraining(y, norm.gamma as tf.Tensor1D, norm.beta as tf.Tensor1D, { relu: true }).y as tf.Tensor4D;
      }
      const y = tf.relu(tf.add(tf.conv2d(h, cv.kernel as tf.Tensor4D, 1, 'same'), cv.bias)) as tf.Tensor4D;
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      return tf.batchNorm(y, mean, variance, norm.beta, norm.gamma, 1e-5) as tf.Tensor4D;
    }, x);

  const forward = (x: tf.Tensor4D): tf.Tensor4D => {
    const skips: tf.Tensor4D[] = [];
    let h = x;
    for (const encoder of encoders) {
      h = runBlock(h, encoder);
      skips.push(h);
      h = tf.maxPool(h, 2, 2, 'valid');
    }
    h = runBlock(h, bottleneck);
    decoders.forEach((decoder, i) => {
      const skip = skips[skips.length - 1 - i];
      const up = tf.image.resizeNearestNeighbor(h, [skip.shape[1], skip.shape[2]]);
      h = runBlock(tf.concat([up, skip], 3), decoder);
    });
    return tf.add(tf.conv2d(h, classifier.kernel as tf.Tensor4D, 1, 'valid'), classifier.bias) as tf.Tensor4D;
  };

  const optimizer = tf.train.adam(1e-3);
  return {
    variables,
    step(images, labels) {
      return tf.tidy(() => {
        const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, forward(images)) as tf.Scalar, true, variables);
        return loss as tf.Scalar;
      });
    },
    dispose() {
      optimizer.dispose();
      tf.dispose(variables);
    },
  };
}

/** A random batch: images [N,H,W,1] in [0,1) and one-hot labels of 4 classes, seeded. */
export function randomBatch(batch: number, size: number, seed = 7): { images: tf.Tensor4D; labels: tf.Tensor4D } {
  return tf.tidy(() => {
    const images = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', seed) as tf.Tensor4D;
    const ids = tf.cast(tf.floor(tf.randomUniform([batch, size, size], 0, 4, 'float32', seed + 1)), 'int32');
    return { images, labels: tf.cast(tf.oneHot(ids as tf.Tensor, 4), 'float32') as tf.Tensor4D };
  });
}
