import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeWeightGroup } from '../../nodes/nn/weight-files';
import { node as trainSpade } from '../../nodes/types/train-spade/node';
import { Vgg19 } from '../../nodes/spade/vgg19';
import { spadeOptimisation } from './settings';
import { useBackend } from '../models/backend';
import { makeTestContext } from '../rig/node-context';
import { writeSyntheticPairs } from './synthetic-pairs';

beforeAll(() => useBackend('wasm'));

/** Keras VGG19's convolutions through block5_conv1 as [name, in, out]. */
const LAYERS: Array<[string, number, number]> = [
  ['block1_conv1', 3, 64],
  ['block1_conv2', 64, 64],
  ['block2_conv1', 64, 128],
  ['block2_conv2', 128, 128],
  ['block3_conv1', 128, 256],
  ['block3_conv2', 256, 256],
  ['block3_conv3', 256, 256],
  ['block3_conv4', 256, 256],
  ['block4_conv1', 256, 512],
  ['block4_conv2', 512, 512],
  ['block4_conv3', 512, 512],
  ['block4_conv4', 512, 512],
  ['block5_conv1', 512, 512],
];

/** A model.json + weights.bin laid out as tensorflowjs_converter writes Keras's VGG19 (random values). */
async function writeFakeVgg(dir: string, skip?: string): Promise<void> {
  const tensors = LAYERS.filter(([name]) => name !== skip).flatMap(([name, cin, cout], i) => [
    { name: `vgg19/${name}/kernel`, tensor: tf.mul(tf.randomUniform([3, 3, cin, cout], -1, 1, 'float32', 2 * i + 1), Math.sqrt(3 / (9 * cin))) },
    { name: `vgg19/${name}/bias`, tensor: tf.zeros([cout]) },
  ]);
  await fs.mkdir(dir, { recursive: true });
  const weightsManifest = await writeWeightGroup(dir, 'group1-shard1of1.bin', tensors);
  tf.dispose(tensors.map((t) => t.tensor));
  await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: {}, weightsManifest }));
}

describe('VGG19 perceptual loss', () => {
  it('reads Keras VGG19 weights, returns relu1_1 … relu5_1 and an L1 feature loss that is 0 only for equal images', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-vgg-'));
    await writeFakeVgg(dir);
    const vgg = await Vgg19.load(dir);
    const a = tf.randomUniform([2, 32, 32, 1], -1, 1, 'float32', 1) as tf.Tensor4D;
    const b = tf.randomUniform([2, 32, 32, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
    const features = vgg.features(a);
    expect(features.map((f) => f.shape)).toEqual([
      [2, 32, 32, 64],
      [2, 16, 16, 128],
      [2, 8, 8, 256],
      [2, 4, 4, 512],
      [2, 2, 2, 512],
    ]);
    expect(vgg.loss(a, a).dataSync()[0]).toBe(0);
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor) => vgg.loss(x as tf.Tensor4D, b))(a);
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    expect(grad.dataSync().every(Number.isFinite)).toBe(true);
    expect(tf.max(tf.abs(grad)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([a, b, features, value, grad]);
    vgg.dispose();
  });

  it('is on in train-spade when vgg19Weights names the weights, relative to the experiment file', async () => {
    const experimentDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-vgg-'));
    await writeFakeVgg(path.join(experimentDir, 'weights', 'vgg19'));
    const ctx = await makeTestContext({ nodeId: 'spade', experimentDir });
    const data = path.join(ctx.root, 'data');
    await writeSyntheticPairs(data, 2, 32, 1);
    const params = {
      ngf: 2,
      ndf: 2,
      numD: 1,
      hidden: 4,
      norm: 'batch' as const,
      spectralNorm: true,
      vae: false,
      vgg19Weights: 'weights/vgg19',
      ...spadeOptimisation(),
      epochs: 1,
      samples: 1,
      seed: null,
    };
    expect(trainSpade.externalPaths?.(params)).toEqual(['weights/vgg19']);
    await trainSpade.run(ctx, { data: { dir: data, hash: 'h', type: 'dataset', from: 'camus.train', nodeId: 'camus' } }, params);
    expect(ctx.logLines).toContain(`VGG19 perceptual loss on (λ=10) with weights from ${path.join(experimentDir, 'weights', 'vgg19')}`);
    const log = JSON.parse(await fs.readFile(path.join(ctx.outputDir('model'), 'log.jsonl'), 'utf8'));
    expect(log.losses.G_vgg).toBeGreaterThan(0);
  });

  it('names the missing layer when the weights are not VGG19', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-vgg-'));
    await writeFakeVgg(dir, 'block3_conv2');
    await expect(Vgg19.load(path.join(dir, 'model.json'))).rejects.toThrow(
      `${path.join(dir, 'model.json')}: no weight named "block3_conv2/kernel"; expected Keras VGG19 layer names (block1_conv1 … block5_conv1)`,
    );
    await expect(Vgg19.load(path.join(dir, 'nowhere'))).rejects.toThrow(/vgg19Weights: cannot read .*nowhere\/model\.json/);
  });
});
