import * as tf from '@tensorflow/tfjs-core';

/**
 * Small stand-ins of the project's three architectures, written with raw tf ops so that the
 * kernel audit exercises exactly the ops (and their gradients) the real models use: each returns
 * a scalar loss from named parameters. Shapes are tiny so the cpu reference stays fast.
 */
export type Params = Record<string, tf.Tensor>;
export interface StandIn {
  params: () => Params;
  loss: (p: Params) => tf.Scalar;
}

let seed = 100;
function weight(shape: number[], scale = 0.3): tf.Tensor {
  return tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed++), scale);
}
export function resetSeeds(): void {
  seed = 100;
}

const conv = (x: tf.Tensor, w: tf.Tensor, stride = 1, pad: 'same' | 'valid' = 'same', dilation = 1) =>
  tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad, 'NHWC', dilation);

/** Batch norm in training mode: statistics of this batch, per channel. */
export function batchNorm(x: tf.Tensor, gamma?: tf.Tensor, beta?: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
  return gamma === undefined || beta === undefined ? normed : tf.add(tf.mul(normed, gamma), beta);
}

/** Instance norm: statistics per sample and channel. */
function instanceNorm(x: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5)));
}

function upsample2x(x: tf.Tensor): tf.Tensor {
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [2 * h, 2 * w]);
}

function crossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

function labels(shape: number[], classes: number, seedValue: number): tf.Tensor {
  const ids = tf.cast(tf.floor(tf.randomUniform(shape, 0, classes, 'float32', seedValue)), 'int32');
  return tf.cast(tf.oneHot(ids as tf.Tensor, classes), 'float32');
}

/** U-Net: 3×3 conv + bias, ReLU, batch norm, 2×2 max-pool, nearest upsampling + concat, 1×1 classifier. */
export const unet: StandIn = {
  params: () => ({
    e1: weight([3, 3, 1, 4]),
    b1: weight([4]),
    g1: tf.add(weight([4], 0.1), 1),
    be1: weight([4], 0.1),
    e2: weight([3, 3, 4, 8]),
    b2: weight([8]),
    g2: tf.add(weight([8], 0.1), 1),
    be2: weight([8], 0.1),
    d1: weight([3, 3, 12, 4]),
    bd: weight([4]),
    cls: weight([1, 1, 4, 4]),
  }),
  loss: (p) => {
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 1);
    const h1 = batchNorm(tf.relu(tf.add(conv(x, p.e1), p.b1)), p.g1, p.be1);
    const h2 = batchNorm(tf.relu(tf.add(conv(tf.maxPool(h1 as tf.Tensor4D, 2, 2, 'valid'), p.e2), p.b2)), p.g2, p.be2);
    const up = tf.concat([upsample2x(h2), h1], 3);
    const d = tf.relu(tf.add(conv(up, p.d1), p.bd));
    return crossEntropy(conv(d, p.cls), labels([2, 8, 8], 4, 2));
  },
};

/** ENet's max-unpooling as the models use it: the pooling's argmax as a 0/1 mask, times nearest upsampling. */
export function maxPoolWithMask(x: tf.Tensor): { pooled: tf.Tensor; mask: tf.Tensor } {
  const pooled = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
  const mask = stopGradient((a) => tf.cast(tf.equal(a, upsample2x(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'))), 'float32'), x);
  return { pooled, mask };
}

/** `f(x)` treated as a constant by the gradient (tfjs has no stop_gradient; Equal has no gradient). */
function stopGradient(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.customGrad((...inputs) => {
    const a = inputs[0] as tf.Tensor;
    return { value: f(a), gradFunc: () => tf.zerosLike(a) };
  })(x);
}

/** ENet: initial block, PReLU, downsampling with indices, dilated, asymmetric, spatial dropout, unpool, transposed conv. */
export const enet: StandIn = {
  params: () => ({
    init: weight([3, 3, 1, 3]),
    a0: tf.fill([4], 0.25),
    down: weight([2, 2, 4, 6]),
    a1: tf.fill([6], 0.25),
    red: weight([1, 1, 6, 2]),
    dil: weight([3, 3, 2, 2]),
    asy1: weight([5, 1, 2, 2]),
    asy2: weight([1, 5, 2, 2]),
    exp: weight([1, 1, 2, 6]),
    upc: weight([1, 1, 6, 4]),
    tconv: weight([3, 3, 4, 6]),
    final: weight([2, 2, 4, 4]),
  }),
  loss: (p) => {
    const x = tf.randomNormal([2, 16, 16, 1], 0, 1, 'float32', 3);
    // Initial block: a 3×3 stride-2 conv concatenated with a max-pool of the input.
    const h0 = tf.prelu(batchNorm(tf.concat([conv(x, p.init, 2), tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')], 3)), p.a0);
    // Downsampling bottleneck: main branch 2×2 stride-2 conv, shortcut max-pool keeping its argmax, zero-padded channels.
    const { pooled, mask } = maxPoolWithMask(h0);
    const main = tf.dropout(tf.prelu(batchNorm(conv(h0, p.down, 2, 'valid')), p.a1), 0.1, [2, 1, 1, 6], 7);
    const h1 = tf.add(
      main,
      tf.pad(pooled, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 2],
      ]),
    );
    // Dilated then asymmetric (5×1, 1×5) bottleneck.
    const r = tf.relu(conv(h1, p.red));
    const b = conv(conv(tf.relu(conv(r, p.dil, 1, 'same', 2)), p.asy1), p.asy2);
    const h2 = tf.relu(tf.add(h1, conv(tf.relu(b), p.exp)));
    // Upsampling bottleneck: unpool with the mask of the downsampling; transposed conv on the main branch.
    const shortcut = tf.mul(upsample2x(conv(h2, p.upc)), mask);
    const up = tf.conv2dTranspose(h2 as tf.Tensor4D, p.tconv as tf.Tensor4D, [2, 8, 8, 4], 2, 'same');
    const h3 = tf.relu(tf.add(shortcut, up));
    const logits = tf.conv2dTranspose(h3 as tf.Tensor4D, p.final as tf.Tensor4D, [2, 16, 16, 4], 2, 'same');
    return crossEntropy(logits, labels([2, 16, 16], 4, 4));
  },
};

/** Divides a conv weight by its largest singular value, estimated by one power-iteration step. */
export function spectralNorm(w: tf.Tensor, u: tf.Tensor): tf.Tensor {
  const matrix = tf.reshape(w, [-1, w.shape[3] as number]);
  // In SPADE u and v are buffers: no gradient flows through the power iteration itself.
  const v = tf.tidy(() => l2normalize(tf.matMul(matrix, tf.reshape(u, [-1, 1]))));
  const uNext = tf.tidy(() => l2normalize(tf.matMul(matrix, v, true, false)));
  const sigma = tf.sum(tf.mul(tf.matMul(matrix, uNext), v));
  return tf.div(w, sigma);
}
function l2normalize(x: tf.Tensor): tf.Tensor {
  return tf.div(x, tf.add(tf.norm(x), 1e-12));
}

/** SPADE generator block and two-scale discriminator with spectral + instance norm, hinge and L1 losses. */
export const spade: StandIn = {
  params: () => ({
    fc: weight([3, 3, 4, 6]),
    shared: weight([3, 3, 4, 5]),
    gamma: weight([3, 3, 5, 6]),
    beta: weight([3, 3, 5, 6]),
    body: weight([3, 3, 6, 4]),
    img: weight([3, 3, 4, 1]),
    d1: weight([4, 4, 5, 4]),
    d2: weight([4, 4, 4, 6]),
    d3: weight([4, 4, 6, 1]),
  }),
  loss: (p) => {
    const seg = labels([2, 16, 16], 4, 5);
    // Generator: SPADE(param-free batch norm, segmap resized nearest, shared conv + ReLU, gamma, beta), leaky ReLU, upsample, tanh.
    const z = conv(tf.image.resizeNearestNeighbor(seg as tf.Tensor4D, [8, 8]), p.fc);
    const segSmall = tf.image.resizeNearestNeighbor(seg as tf.Tensor4D, [8, 8]);
    const actv = tf.relu(conv(segSmall, p.shared));
    const h = tf.add(tf.mul(batchNorm(z), tf.add(1, conv(actv, p.gamma))), conv(actv, p.beta));
    const body = conv(tf.leakyRelu(h, 0.2), spectralNorm(p.body, tf.ones([4])));
    const fake = tf.tanh(conv(tf.leakyRelu(upsample2x(body), 0.2), p.img));
    const real = tf.randomUniform([2, 16, 16, 1], -1, 1, 'float32', 6);
    // Discriminator at two scales (avg-pool 3, stride 2 between), features kept for matching.
    const discriminate = (image: tf.Tensor): tf.Tensor[] => {
      const input = tf.concat([seg, image], 3);
      const scales = [input, tf.avgPool(input as tf.Tensor4D, 3, 2, 'same')];
      return scales.flatMap((s) => {
        const f1 = tf.leakyRelu(conv(s, spectralNorm(p.d1, tf.ones([4])), 2), 0.2);
        const f2 = tf.leakyRelu(instanceNorm(conv(f1, spectralNorm(p.d2, tf.ones([6])), 2)), 0.2);
        return [f1, f2, conv(f2, spectralNorm(p.d3, tf.ones([1])), 1)];
      });
    };
    const onFake = discriminate(fake);
    const onReal = discriminate(real);
    const scores = (features: tf.Tensor[]) => features.filter((_, i) => i % 3 === 2);
    const hingeD = tf.add(
      tf.mean(tf.relu(tf.sub(1, tf.concat(scores(onReal).map((t) => tf.reshape(t, [-1])))))),
      tf.mean(tf.relu(tf.add(1, tf.concat(scores(onFake).map((t) => tf.reshape(t, [-1])))))),
    );
    const hingeG = tf.neg(tf.mean(tf.concat(scores(onFake).map((t) => tf.reshape(t, [-1])))));
    const matching = tf.addN(onFake.map((f, i) => tf.mean(tf.abs(tf.sub(f, onReal[i])))));
    return tf.add(tf.add(hingeD, hingeG), tf.mul(matching, 10)) as tf.Scalar;
  },
};
