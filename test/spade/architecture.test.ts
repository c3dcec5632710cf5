import * as tf from '@tensorflow/tfjs-core';
import { downsample, SpadeDiscriminator } from '../../nodes/spade/discriminator';
import { SpadeEncoder } from '../../nodes/spade/encoder';
import { SpadeGenerator } from '../../nodes/spade/generator';
import { useBackend } from '../models/backend';
import { generatorArgs } from './settings';

beforeAll(() => useBackend('wasm'));

/** Random one-hot masks [n, size, size, 4]. */
function segmaps(n: number, size: number): tf.Tensor4D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(tf.floor(tf.randomUniform([n, size, size], 0, 4, 'float32', 9)), 'int32'), 4), 'float32') as tf.Tensor4D);
}

function expectImages(y: tf.Tensor, n: number, size: number): void {
  expect(y.shape).toEqual([n, size, size, 1]);
  const values = y.dataSync();
  expect(values.every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true);
  // Not a constant image: the segmap reaches the output.
  expect(values.some((v) => v !== values[0])).toBe(true);
}

// Parameter counts derived from NVlabs's layer list (weights + biases; spectral-norm vectors and
// batch-norm running statistics are state, not parameters), written out independently of the code.
const conv = (cin: number, cout: number, k: number, bias = true) => k * k * cin * cout + (bias ? cout : 0);
/** SPADE(C): shared 3×3 conv 4 → 128 (+ReLU), then 3×3 convs 128 → C for γ and for β. */
const spade = (c: number) => conv(4, 128, 3) + 2 * conv(128, c, 3);
/** SPADEResnetBlock(fin, fout): conv_0 fin → min, conv_1 min → fout, norm_0(fin), norm_1(min); a learnt 1×1 shortcut (no bias) with norm_s(fin) when fin ≠ fout. */
const block = (fin: number, fout: number) => {
  const middle = Math.min(fin, fout);
  const shortcut = fin === fout ? 0 : conv(fin, fout, 1, false) + spade(fin);
  return conv(fin, middle, 3) + conv(middle, fout, 3) + spade(fin) + spade(middle) + shortcut;
};

describe('SPADE generator', () => {
  it.each([
    [32, 48],
    [64, 16],
    [256, 8],
  ])('turns one-hot %i-pixel masks into images in [-1, 1] at ngf %i, in training and evaluation', (size, ngf) => {
    const g = new SpadeGenerator(generatorArgs(size, ngf));
    const segmap = segmaps(2, size);
    for (const training of [true, false]) {
      const y = g.forward({ segmap }, { training });
      expectImages(y, 2, size);
      y.dispose();
    }
    segmap.dispose();
    g.dispose();
  });

  it('with the VAE head starts from a 256-d style code instead of the segmap', () => {
    const g = new SpadeGenerator(generatorArgs(64, 8, { vae: true }));
    const segmap = segmaps(2, 64);
    const z = tf.randomNormal([2, 256], 0, 1, 'float32', 4) as tf.Tensor2D;
    const y = g.forward({ segmap, z }, { training: false });
    expectImages(y, 2, 64);
    expect(() => g.forward({ segmap }, { training: false })).toThrow(/needs a style code z/);
    // fc: linear 256 → 16nf·2·2 instead of the 3×3 conv of the segmap.
    const withoutVae = new SpadeGenerator(generatorArgs(64, 8));
    expect(g.countParams() - withoutVae.countParams()).toBe(256 * 16 * 8 * 4 + 16 * 8 * 4 - conv(4, 16 * 8, 3));
    tf.dispose([segmap, z, y]);
    g.dispose();
    withoutVae.dispose();
  });

  it('has the parameter count of NVlabs’s layer list at the paper’s ngf = 48, 256×256', () => {
    const nf = 48;
    const expected =
      conv(4, 16 * nf, 3) + // fc: 3×3 conv of the 8×8 segmap
      3 * block(16 * nf, 16 * nf) + // head_0, G_middle_0, G_middle_1
      block(16 * nf, 8 * nf) + // up_0
      block(8 * nf, 4 * nf) + // up_1
      block(4 * nf, 2 * nf) + // up_2
      block(2 * nf, nf) + // up_3
      conv(nf, 1, 3); // conv_img
    expect(expected).toBe(56_577_649);
    const g = new SpadeGenerator(generatorArgs(256, nf));
    expect(g.countParams()).toBe(expected);
    g.dispose();
  });

  it('refuses sizes that are not multiples of 32', () => {
    expect(() => new SpadeGenerator(generatorArgs(48, 4))).toThrow(/multiples of 32, got 48×48/);
  });
});

describe('SPADE discriminator', () => {
  it('has the parameter count of NVlabs’s layer list at ndf = 48 with two scales', () => {
    const nf = 48;
    // 4×4 convs: 5 → nf (bias), nf → 2nf → 4nf → 8nf (no bias: instance norm follows), 8nf → 1 (bias).
    const perScale = conv(5, nf, 4) + conv(nf, 2 * nf, 4, false) + conv(2 * nf, 4 * nf, 4, false) + conv(4 * nf, 8 * nf, 4, false) + conv(8 * nf, 1, 4);
    const d = new SpadeDiscriminator({ inChannels: 5, ndf: nf, numD: 2, spectralNorm: true, seed: 1 });
    expect(d.countParams()).toBe(2 * perScale);
    expect(2 * perScale).toBe(3_116_642);
    d.dispose();
  });

  it('returns four feature maps and a patch prediction per scale, sized by NVlabs’s padding of 2', () => {
    const d = new SpadeDiscriminator({ inChannels: 5, ndf: 8, numD: 2, spectralNorm: true, seed: 1 });
    const x = tf.randomNormal([2, 256, 256, 5], 0, 1, 'float32', 3) as tf.Tensor4D;
    const out = d.forward(x, { training: true });
    // 4×4 conv, padding 2: stride 2 gives floor(s/2) + 1, stride 1 gives s + 1.
    expect(out.map((scale) => scale.map((t) => t.shape))).toEqual([
      [
        [2, 129, 129, 8],
        [2, 65, 65, 16],
        [2, 33, 33, 32],
        [2, 34, 34, 64],
        [2, 35, 35, 1],
      ],
      [
        [2, 65, 65, 8],
        [2, 33, 33, 16],
        [2, 17, 17, 32],
        [2, 18, 18, 64],
        [2, 19, 19, 1],
      ],
    ]);
    tf.dispose([x, out]);
    d.dispose();
  });

  it('averages 3×3 windows with stride 2 between scales, not counting the zero padding', () => {
    const x = tf.tensor4d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4, 1],
    );
    // Windows start one pixel before the image (PyTorch padding 1): the top-left one covers
    // 0, 1, 4, 5; the next to the right 1, 2, 3, 5, 6, 7; the one below 4, 5, 8, 9, 12, 13.
    const y = downsample(x).dataSync();
    [2.5, 4, 8.5, 10].forEach((expected, i) => expect(y[i]).toBeCloseTo(expected, 5));
  });
});

describe('SPADE encoder (VAE head)', () => {
  it('maps images of any size to μ and log σ² of a 256-d style code via a 256×256 resize', () => {
    const e = new SpadeEncoder({ inChannels: 1, ngf: 8, zDim: 256, spectralNorm: true, seed: 1 });
    const { mu, logvar } = e.forward(tf.randomUniform([3, 64, 64, 1], -1, 1, 'float32', 2) as tf.Tensor4D, { training: true });
    expect(mu.shape).toEqual([3, 256]);
    expect(logvar.shape).toEqual([3, 256]);
    // Six 3×3 stride-2 convs (nf, 2nf, 4nf, 8nf, 8nf, 8nf, no bias) and two linear maps of 8nf·4·4.
    const channels = [1, 8, 16, 32, 64, 64, 64];
    const convs = channels.slice(1).reduce((sum, c, i) => sum + conv(channels[i], c, 3, false), 0);
    expect(e.countParams()).toBe(convs + 2 * (64 * 16 * 256 + 256));
    tf.dispose([mu, logvar]);
    e.dispose();
  });
});
