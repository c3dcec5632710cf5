import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MASK_VAE_MODELS } from '../../nodes/mask-vae/catalog';
import { loadModel, saveModel } from '../../nodes/nn/model-file';
import { defaultBlocks, MaskVae, type MaskVaeArgs } from '../../nodes/mask-vae/mask-vae';
import { samplePrior } from '../../nodes/mask-vae/prior-samples';
import { klToStandardNormal } from '../../nodes/mask-vae/vae-loss';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from '../models/backend';

beforeAll(() => useBackend('wasm'));

const tiny: MaskVaeArgs = { classes: 4, size: 32, blocks: 1, initChannels: 4, latent: 8, seed: 5 };

describe('MaskVae', () => {
  it("has exactly as many trainable parameters as vital's VariationalAutoencoder2d rebuilt in PyTorch", () => {
    // Counts from test/fixtures/mask-vae/vital_vae_params.py (PyTorch 2.13): the paper's 256-px model
    // and two scaled-down ones.
    const cases: Array<[MaskVaeArgs, number]> = [
      [{ classes: 4, size: 256, blocks: 4, initChannels: 48, latent: 32, seed: 1 }, 5342372],
      [{ classes: 4, size: 64, blocks: 2, initChannels: 16, latent: 32, seed: 1 }, 138596],
      [{ classes: 4, size: 128, blocks: 3, initChannels: 8, latent: 16, seed: 1 }, 62516],
    ];
    for (const [args, count] of cases) {
      const model = new MaskVae(args);
      expect(model.countParams()).toBe(count);
      model.dispose();
    }
  });

  it('scales the number of blocks with the size so that the bottleneck is 8×8 or less', () => {
    expect([32, 64, 96, 128, 256].map(defaultBlocks)).toEqual([1, 2, 3, 3, 4]);
    expect(defaultBlocks(100)).toBeUndefined();
    expect(() => new MaskVae({ ...tiny, size: 36, blocks: 2 })).toThrow('MaskVae: size 36 is not divisible by 2^(blocks+1) = 8');
  });

  it('maps one-hot masks to logits of the same shape and codes to masks, in evaluation mode deterministically', () => {
    const model = new MaskVae(tiny);
    const x = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([3, 32, 32], 0, 4, 'int32', 1) as tf.Tensor3D, 4), 'float32') as tf.Tensor4D);
    const out = model.reconstruct(x, { training: false });
    expect(out.logits.shape).toEqual([3, 32, 32, 4]);
    expect(out.mu.shape).toEqual([3, 8]);
    expect(out.logvar.shape).toEqual([3, 8]);
    const decoded = model.decode(out.mu, { training: false });
    expect(Array.from(decoded.dataSync())).toEqual(Array.from(out.logits.dataSync()));
    tf.dispose([x, out.logits, out.mu, out.logvar, decoded]);
    model.dispose();
  });

  it('computes the KL divergence to N(0, I) in closed form, summed over dimensions and averaged over the batch', () => {
    // Row 1: mu = 0, var = 1 → 0. Row 2: per dimension ½(mu² + σ² − ln σ² − 1): ½(4 + 1 − 0 − 1) + ½(0 + e − 1 − 1).
    const mu = tf.tensor2d([
      [0, 0],
      [2, 0],
    ]);
    const logvar = tf.tensor2d([
      [0, 0],
      [0, 1],
    ]);
    const kl = klToStandardNormal(mu, logvar);
    expect(kl.dataSync()[0]).toBeCloseTo((2 + 0.5 * (Math.E - 2)) / 2, 5);
    tf.dispose([mu, logvar, kl]);
  });

  it('round-trips through the model file to a VAE that decodes and samples exactly the same', async () => {
    const model = new MaskVae(tiny);
    const x = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([4, 32, 32], 0, 4, 'int32', 2) as tf.Tensor3D, 4), 'float32') as tf.Tensor4D);
    // A training pass moves the batch-norm running statistics, which the file must carry too.
    const trained = model.reconstruct(x, { training: true, rng: new Rng(3) });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-vae-'));
    await saveModel(dir, model, { task: 'mask-vae' });
    const { model: loaded } = await loadModel(dir, MASK_VAE_MODELS);
    expect(loaded).toBeInstanceOf(MaskVae);
    const copy = loaded as MaskVae;
    expect(copy.config).toEqual(tiny);
    expect(Array.from(copy.forward(x, { training: false }).dataSync())).toEqual(Array.from(model.forward(x, { training: false }).dataSync()));
    expect(await samplePrior(copy, 6, 9, 4)).toEqual(await samplePrior(model, 6, 9, 4));
    tf.dispose([x, trained.logits, trained.mu, trained.logvar]);
    model.dispose();
    copy.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('samples the same masks for the same seed whatever the batch size, and other masks for another seed', async () => {
    const model = new MaskVae({ ...tiny, initChannels: 2 });
    const first = await samplePrior(model, 10, 1, 3);
    expect(await samplePrior(model, 10, 1, 10)).toEqual(first);
    expect(await samplePrior(model, 4, 1, 2)).toEqual(first.subarray(0, 4 * 32 * 32));
    expect(await samplePrior(model, 10, 2, 3)).not.toEqual(first);
    model.dispose();
  });
});
