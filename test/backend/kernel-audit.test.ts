import * as tf from '@tensorflow/tfjs-core';
import { expectWasmMatchesCpu, onBackend, seeded } from './compare-backends';
import { enet, maxPoolWithMask, type Params, resetSeeds, spade, type StandIn, unet } from './stand-ins';

/** Loss and the gradient of every parameter, as one list. */
function lossAndGradients(model: StandIn): () => tf.Tensor[] {
  return () => {
    resetSeeds();
    const params = model.params();
    const names = Object.keys(params);
    const { value, grads } = tf.valueAndGrads((...values: tf.Tensor[]) => model.loss(Object.fromEntries(names.map((name, i) => [name, values[i]])) as Params))(
      names.map((name) => params[name]),
    );
    return [value, ...grads];
  };
}

/** One op's output and its input gradient under a fixed random upstream gradient. */
function opGradient(op: (x: tf.Tensor) => tf.Tensor, shape: number[]): () => tf.Tensor[] {
  return () => {
    const x = seeded(shape, 11);
    const { value, grad } = tf.valueAndGrad((a: tf.Tensor) => {
      const y = op(a);
      return tf.sum(tf.mul(y, seeded(y.shape, 12)));
    })(x);
    return [op(x), value, grad];
  };
}

const NHWC = [2, 6, 6, 4];
const w3 = () => seeded([3, 3, 4, 5], 13) as tf.Tensor4D;

const OPS: Record<string, [(x: tf.Tensor) => tf.Tensor, number[]]> = {
  'conv2d 3×3 + bias': [(x) => tf.add(tf.conv2d(x as tf.Tensor4D, w3(), 1, 'same'), seeded([5], 14)), NHWC],
  'conv2d 1×1': [(x) => tf.conv2d(x as tf.Tensor4D, seeded([1, 1, 4, 3], 15) as tf.Tensor4D, 1, 'valid'), NHWC],
  'conv2d 4×4 stride 2': [(x) => tf.conv2d(x as tf.Tensor4D, seeded([4, 4, 4, 3], 16) as tf.Tensor4D, 2, 'same'), NHWC],
  'conv2d dilated 2 and 4': [
    (x) => tf.add(tf.sum(tf.conv2d(x as tf.Tensor4D, w3(), 1, 'same', 'NHWC', 2)), tf.sum(tf.conv2d(x as tf.Tensor4D, w3(), 1, 'valid', 'NHWC', [1, 2]))),
    NHWC,
  ],
  'conv2d asymmetric 5×1, 1×5': [
    (x) => tf.conv2d(tf.conv2d(x as tf.Tensor4D, seeded([5, 1, 4, 4], 17) as tf.Tensor4D, 1, 'same'), seeded([1, 5, 4, 2], 18) as tf.Tensor4D, 1, 'same'),
    NHWC,
  ],
  'conv2dTranspose stride 2': [(x) => tf.conv2dTranspose(x as tf.Tensor4D, seeded([3, 3, 2, 4], 19) as tf.Tensor4D, [2, 12, 12, 2], 2, 'same'), NHWC],
  'fused conv2d + bias + relu': [
    (x) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w3(), strides: 1, pad: 'same', bias: seeded([5], 20), activation: 'relu' }),
    NHWC,
  ],
  'batch norm (training: moments)': [
    (x) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, seeded([4], 21), seeded([4], 22), 1e-5);
    },
    NHWC,
  ],
  'instance norm (moments per sample)': [
    (x) => {
      const { mean, variance } = tf.moments(x, [1, 2], true);
      return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    },
    NHWC,
  ],
  relu: [(x) => tf.relu(x), NHWC],
  'leaky relu 0.2': [(x) => tf.leakyRelu(x, 0.2), NHWC],
  prelu: [(x) => tf.prelu(x, seeded([4], 23)), NHWC],
  tanh: [(x) => tf.tanh(x), NHWC],
  'max-pool 2×2': [(x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'), NHWC],
  'avg-pool 3 stride 2': [(x) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'), NHWC],
  'nearest resize ×2': [(x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [12, 12]), NHWC],
  'nearest resize of a one-hot segmap ×0.5': [(x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [3, 3]), NHWC],
  concat: [(x) => tf.concat([x, tf.square(x)], 3), NHWC],
  'channel zero-padding': [
    (x) =>
      tf.pad(x, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 3],
      ]),
    NHWC,
  ],
  'max-unpool by mask': [
    (x) => {
      const { pooled, mask } = maxPoolWithMask(x);
      return tf.mul(tf.image.resizeNearestNeighbor(tf.sqrt(tf.abs(pooled)) as tf.Tensor4D, [6, 6]), mask);
    },
    NHWC,
  ],
  'spatial dropout (seeded)': [(x) => tf.dropout(x, 0.3, [2, 1, 1, 4], 5), NHWC],
  'softmax cross-entropy': [
    (x) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 0], 'int32'), 4), tf.reshape(tf.slice(x, [0, 0, 0, 0], [1, 1, 6, 4]), [6, 4])),
    NHWC,
  ],
  'spectral norm (power iteration matmuls)': [
    (x) => {
      const m = tf.reshape(x, [-1, 4]);
      const v = tf.div(tf.matMul(m, tf.ones([4, 1])), tf.norm(tf.matMul(m, tf.ones([4, 1]))));
      const u = tf.matMul(m, v, true, false);
      return tf.div(x, tf.norm(u));
    },
    NHWC,
  ],
  'hinge loss': [(x) => tf.add(tf.mean(tf.relu(tf.sub(1, x))), tf.mean(tf.relu(tf.add(1, x)))), NHWC],
  'L1 loss': [(x) => tf.mean(tf.abs(tf.sub(x, 0.1))), NHWC],
  'gather (index-based unpool alternative)': [(x) => tf.gather(tf.reshape(x, [-1]), tf.tensor1d([5, 3, 3, 100, 7], 'int32')), NHWC],
};

describe('kernel audit: each op the models use runs forward and backward on wasm and matches cpu', () => {
  for (const [name, [op, shape]] of Object.entries(OPS)) {
    it(name, async () => {
      await expectWasmMatchesCpu(opGradient(op, shape));
    });
  }

  it('max-pool with argmax runs forward on wasm with the same indices as cpu', async () => {
    const run = () => {
      const { result, indexes } = tf.maxPoolWithArgmax(seeded(NHWC, 24) as tf.Tensor4D, 2, 2, 'valid', true);
      return [result, tf.cast(indexes, 'float32')];
    };
    await expectWasmMatchesCpu(run, 0);
  });
});

describe('kernel audit: stand-ins of the models train on wasm with the gradients of cpu', () => {
  const models: Record<string, StandIn> = { 'U-Net': unet, ENet: enet, 'SPADE generator + discriminator': spade };
  for (const [name, model] of Object.entries(models)) {
    it(name, async () => {
      await expectWasmMatchesCpu(lossAndGradients(model));
    });
  }

  it('the stand-ins have non-trivial gradients for every parameter', async () => {
    for (const model of [unet, enet, spade]) {
      const [, ...grads] = await onBackend('wasm', lossAndGradients(model));
      for (const grad of grads) expect(Math.max(...Array.from(grad, Math.abs))).toBeGreaterThan(1e-6);
    }
  });
});
