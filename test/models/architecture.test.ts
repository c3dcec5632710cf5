import * as tf from '@tensorflow/tfjs-core';
import { ENet, ENET_DEFAULTS } from '../../nodes/segmentation/enet';
import { segmentationLoss } from '../../nodes/segmentation/losses';
import { UNet } from '../../nodes/segmentation/unet';
import { Adam, minimize } from '../../nodes/nn/training/optimizer';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from './backend';

beforeAll(() => useBackend('wasm'));

/** Trainable scalars of each layer kind, counted from the architecture's description. */
const conv = (kh: number, kw: number, cin: number, cout: number, bias: boolean) => kh * kw * cin * cout + (bias ? cout : 0);
const bn = (c: number) => 2 * c; // gamma and beta; running statistics are not trained
const prelu = (c: number) => c; // one slope per channel

/**
 * vital's CamusUnet: each block is two (3×3 conv with bias, ReLU, BN). Encoders 1→c, c→c, c→2c,
 * 2c→4c, 4c→4c; bottleneck 4c→4c; decoders take [upsampled, skip]: 4c+4c→4c, 4c+4c→4c, 4c+2c→2c,
 * 2c+c→c, c+c→c/2; then a 1×1 classifier with bias.
 */
function unetParams(c: number, inChannels: number, classes: number): number {
  const block = (cin: number, cout: number) => conv(3, 3, cin, cout, true) + bn(cout) + conv(3, 3, cout, cout, true) + bn(cout);
  const encoders = block(inChannels, c) + block(c, c) + block(c, 2 * c) + block(2 * c, 4 * c) + block(4 * c, 4 * c);
  const bottleneck = block(4 * c, 4 * c);
  const decoders = block(8 * c, 4 * c) + block(8 * c, 4 * c) + block(6 * c, 2 * c) + block(3 * c, c) + block(2 * c, c / 2);
  return encoders + bottleneck + decoders + conv(1, 1, c / 2, classes, true);
}

/**
 * ENet as the authors' Torch code builds it, with bias-free convolutions before BN:
 * - initial: 3×3 conv in→w−in, BN(w), PReLU(w)
 * - encoder bottleneck in→out, internal i = out/4: projection (1×1, or 2×2 when downsampling) + BN + PReLU;
 *   middle 3×3 (regular/dilated) or 5×1 then 1×5 (asymmetric) + BN + PReLU; 1×1 expansion + BN; PReLU(out)
 * - decoder bottleneck c→c: the same with ReLU (no weights)
 * - upsampling bottleneck in→out, i = out/4: shortcut 1×1 + BN; 1×1 + BN; 3×3 transposed + BN; 1×1 + BN
 * - full conv: 2×2 transposed conv w→classes with bias
 */
function enetParams(w: number, inChannels: number, classes: number): number {
  const initial = conv(3, 3, inChannels, w - inChannels, false) + bn(w) + prelu(w);
  const encoder = (cin: number, cout: number, middle: 'square' | 'asymmetric', down: boolean) => {
    const i = cout / 4;
    const project = conv(down ? 2 : 1, down ? 2 : 1, cin, i, false) + bn(i) + prelu(i);
    const mid = (middle === 'square' ? conv(3, 3, i, i, false) : conv(5, 1, i, i, false) + conv(1, 5, i, i, false)) + bn(i) + prelu(i);
    return project + mid + conv(1, 1, i, cout, false) + bn(cout) + prelu(cout);
  };
  const decoder = (c: number) => {
    const i = c / 4;
    return conv(1, 1, c, i, false) + bn(i) + conv(3, 3, i, i, false) + bn(i) + conv(1, 1, i, c, false) + bn(c);
  };
  const upsampling = (cin: number, cout: number) => {
    const i = cout / 4;
    return (
      conv(1, 1, cin, cout, false) + bn(cout) + conv(1, 1, cin, i, false) + bn(i) + conv(3, 3, i, i, false) + bn(i) + conv(1, 1, i, cout, false) + bn(cout)
    );
  };
  // Stages 2 and 3: regular, dilated 2, asymmetric 5, dilated 4, regular, dilated 8, asymmetric 5, dilated 16.
  const stage = 6 * encoder(8 * w, 8 * w, 'square', false) + 2 * encoder(8 * w, 8 * w, 'asymmetric', false);
  const stage1 = encoder(w, 4 * w, 'square', true) + 4 * encoder(4 * w, 4 * w, 'square', false);
  const stage2 = encoder(4 * w, 8 * w, 'square', true) + stage;
  const stage4 = upsampling(8 * w, 4 * w) + 2 * decoder(4 * w);
  const stage5 = upsampling(4 * w, w) + decoder(w);
  return initial + stage1 + stage2 + stage + stage4 + stage5 + conv(2, 2, w, classes, true);
}

describe('U-Net (CAMUS)', () => {
  it('has the parameter count its architecture implies', () => {
    for (const c of [8, 32]) {
      const model = new UNet({ inChannels: 1, classes: 4, initChannels: c, seed: 1 });
      expect(model.countParams()).toBe(unetParams(c, 1, 4));
      model.dispose();
    }
    // vital's CamusUnet((1, 256, 256), (4, 256, 256), init_channels) counted with PyTorch
    // (sum of numel of parameters requiring grad), an independent check of the formula.
    expect(unetParams(32, 1, 4)).toBe(1_980_164);
    expect(unetParams(8, 1, 4)).toBe(124_820);
  });
});

describe('ENet', () => {
  it('has the parameter count its architecture implies', () => {
    for (const w of [8, 16]) {
      const model = new ENet({ inChannels: 1, classes: 4, ...ENET_DEFAULTS, initChannels: w, seed: 1 });
      expect(model.countParams()).toBe(enetParams(w, 1, 4));
      model.dispose();
    }
    // The same architecture written in PyTorch (test/models/reference/enet_torch.py), counted there.
    expect(enetParams(16, 1, 4)).toBe(362_427);
    expect(enetParams(8, 1, 4)).toBe(93_731);
  });

  it('needs randomness for dropout when training and refuses to guess', () => {
    const model = new ENet({ inChannels: 1, classes: 4, ...ENET_DEFAULTS, initChannels: 8, seed: 1 });
    const x = tf.zeros([1, 32, 32, 1]);
    expect(() => model.forward(x, { training: true })).toThrow('SpatialDropout: a training forward pass needs options.rng');
    tf.dispose(x);
    model.dispose();
  });
});

/** Each network at a given width (U-Net's initChannels, ENet's w). */
const networks = [
  ['UNet', (width: number) => new UNet({ inChannels: 1, classes: 4, initChannels: width, seed: 1 })],
  ['ENet', (width: number) => new ENet({ inChannels: 1, classes: 4, ...ENET_DEFAULTS, initChannels: width, seed: 1 })],
] as const;

describe.each(networks)('%s shapes', (_, make) => {
  it.each([64, 256])('maps [2, size, size, 1] images to [2, size, size, 4] logits at size %i, training and evaluating', (size) => {
    const model = make(16);
    const x = tf.randomUniform([2, size, size, 1], 0, 1, 'float32', 1);
    for (const training of [true, false]) {
      const before = tf.memory().numTensors;
      const y = model.forward(x, { training, rng: new Rng(1) });
      expect(y.shape).toEqual([2, size, size, 4]);
      expect(tf.memory().numTensors).toBe(before + 1);
      y.dispose();
    }
    tf.dispose(x);
    model.dispose();
  });
});

describe.each(networks)('%s training step', (_, make) => {
  it('changes every trainable weight and leaves no tensor behind', () => {
    const model = make(8);
    const adam = new Adam({ lr: 0.01 }, model.trainableWeights());
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 1);
    const y = tf.tidy(() => tf.cast(tf.floor(tf.randomUniform([2, 32, 32], 0, 4, 'float32', 2)), 'int32')) as tf.Tensor3D;
    const step = (seed: number) =>
      minimize(adam, () => segmentationLoss(model.forward(x, { training: true, rng: new Rng(seed) }) as tf.Tensor4D, y, 'ce+dice').loss).dispose();
    const before = model.trainableWeights().map((w) => w.variable.dataSync().slice());
    step(1);
    const counted = tf.memory().numTensors;
    step(2);
    step(3);
    expect(tf.memory().numTensors).toBe(counted);
    const unchanged = model.trainableWeights().filter((w, i) => w.variable.dataSync().every((v, j) => v === before[i][j]));
    expect(unchanged.map((w) => w.path)).toEqual([]);
    tf.dispose([x, y]);
    adam.dispose();
    model.dispose();
  });
});
