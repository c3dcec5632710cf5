import { promises as fs, readFileSync } from 'fs';
import * as path from 'path';
import { PNG } from 'pngjs';
import type { InputArtifact } from '../../engine/node-api';
import { readDataset, writeDataset } from '../../nodes/data/dataset-artifact';
import { MODEL_FILE, saveModel } from '../../nodes/nn/model-file';
import { UNet } from '../../nodes/segmentation/unet';
import type { EpochRecord } from '../../nodes/nn/training/loop';
import { node as generate, type GenerateParams, PREVIEW_FILE } from '../../nodes/types/generate/node';
import { DISCRIMINATOR_DIR, ENCODER_DIR } from '../../nodes/spade/spade-files';
import { node as trainSpade, type TrainSpadeParams } from '../../nodes/types/train-spade/node';
import { TRAINING_LOG } from '../../nodes/nn/training/log-files';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { useBackend } from '../models/backend';
import { syntheticPairs, writeSyntheticPairs } from './synthetic-pairs';

beforeAll(() => useBackend('wasm'));

function artifact(dir: string, from: string, type: InputArtifact['type'] = 'dataset', hash = `hash-of-${from}`): InputArtifact {
  return { dir, hash, type, from, nodeId: from.split('.')[0] };
}

/** A CPU-sized SPADE: every width at its smallest, everything else as the paper has it. */
function params(overrides: Partial<TrainSpadeParams> = {}): TrainSpadeParams {
  return {
    ngf: 4,
    ndf: 4,
    numD: 2,
    hidden: 16,
    norm: 'batch',
    spectralNorm: true,
    vae: false,
    vgg19Weights: null,
    lr: 2e-4,
    ttur: true,
    beta1: 0,
    beta2: 0.999,
    epochs: 2,
    decayFrom: null,
    batchSize: 2,
    flip: true,
    lambdaFeat: 10,
    lambdaKl: 0.05,
    lambdaVgg: 10,
    samples: 3,
    seed: null,
    ...overrides,
  };
}

const generateParams: GenerateParams = { batchSize: 2, styles: 'random', previewCount: 2, seed: null };

async function readLog(dir: string): Promise<EpochRecord[]> {
  return (await fs.readFile(path.join(dir, TRAINING_LOG), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as EpochRecord);
}

function pngSize(file: string): [number, number] {
  const png = PNG.sync.read(readFileSync(file));
  return [png.width, png.height];
}

/** 4 training pairs and 3 mask-only items, 32×32. */
async function writeData(ctx: TestContext): Promise<{ data: InputArtifact; masks: InputArtifact }> {
  const dataDir = path.join(ctx.root, 'data');
  await writeSyntheticPairs(dataDir, 4, 32, 1);
  const other = syntheticPairs(3, 32, 2);
  const masksDir = path.join(ctx.root, 'masks');
  await writeDataset(masksDir, { manifest: { ...other.manifest, hasImages: false }, masks: other.masks });
  return { data: artifact(dataDir, 'camus.train'), masks: artifact(masksDir, 'vae.masks') };
}

describe('train-spade', () => {
  it('writes generator, discriminator, a log line and a sample grid per epoch; a rerun with more epochs continues from the checkpoint', async () => {
    const ctx = await makeTestContext({ nodeId: 'spade', seed: 4 });
    const { data } = await writeData(ctx);
    await trainSpade.run(ctx, { data }, params());

    const out = ctx.outputDir('model');
    const json = JSON.parse(readFileSync(path.join(out, MODEL_FILE), 'utf8'));
    expect(json.modelTopology.className).toBe('SpadeGenerator');
    expect(json.modelTopology.config).toMatchObject({ height: 32, width: 32, ngf: 4, hidden: 16, vae: false, seed: 4 });
    expect(json.userDefinedMetadata.training.vggLoss).toBe(false);
    expect(JSON.parse(readFileSync(path.join(out, DISCRIMINATOR_DIR, MODEL_FILE), 'utf8')).modelTopology.className).toBe('SpadeDiscriminator');
    await expect(fs.access(path.join(out, ENCODER_DIR))).rejects.toThrow();

    const log = await readLog(out);
    expect(log.map((r) => r.epoch)).toEqual([1, 2]);
    expect(Object.keys(log[0].losses).sort()).toEqual(['D_fake', 'D_real', 'G_feat', 'G_hinge']);
    expect(log[0].lrs).toEqual({ G: 1e-4, D: 4e-4 }); // TTUR
    expect(log[1].validation.l1_samples).toBeGreaterThan(0);
    // 3 rows of mask | real | generated in the shared montage's 160-pixel boxes.
    const [width, height] = pngSize(path.join(out, 'samples', 'epoch-002.png'));
    expect(width).toBeGreaterThan(3 * 160);
    expect(height).toBeGreaterThan(3 * 160);
    expect(ctx.logLines.some((line) => line.startsWith('VGG19 perceptual loss off: no vgg19Weights given'))).toBe(true);
    const bar = ctx.progressUpdates[ctx.progressUpdates.length - 1];
    expect(bar).toMatchObject({ done: 2, total: 2, unit: 'epoch' });
    expect(bar.message).toMatch(/^G_hinge -?\d+\.\d{3} G_feat \d+\.\d{3} D_real \d+\.\d{3} D_fake \d+\.\d{3} · \d+\.\d img\/s$/);

    // A rerun with more epochs continues from the checkpoint of epoch 2 (resume.test.ts checks the numbers).
    await trainSpade.run(ctx, { data }, params({ epochs: 3 }));
    expect(ctx.logLines).toContain(`resuming after epoch 2 from ${path.join(ctx.root, 'checkpoints', 'latest')}`);
    const resumed = await readLog(out);
    expect(resumed.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(resumed.slice(0, 2)).toEqual(log);
    expect(pngSize(path.join(out, 'samples', 'epoch-003.png'))).toEqual([width, height]);
  });

  it('explains unusable data', async () => {
    const ctx = await makeTestContext({ nodeId: 'spade' });
    const { masks } = await writeData(ctx);
    await expect(trainSpade.run(ctx, { data: masks }, params())).rejects.toThrow(
      `input "data" (vae.masks, ${masks.dir}) holds masks only; it needs images too`,
    );
    const odd = path.join(ctx.root, 'odd');
    await writeDataset(odd, syntheticPairs(2, 48, 1));
    await expect(trainSpade.run(ctx, { data: artifact(odd, 'camus.train') }, params())).rejects.toThrow(
      /is 48×48; SPADE needs height and width divisible by 32/,
    );
  });
});

describe('generate', () => {
  let model: InputArtifact;
  let masks: InputArtifact;
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await makeTestContext({ nodeId: 'spade', seed: 5 });
    ({ masks } = await writeData(ctx));
    const { data } = await writeData(ctx);
    await trainSpade.run(ctx, { data }, params({ epochs: 1 }));
    model = artifact(ctx.outputDir('model'), 'spade.model', 'model', 'model-hash');
  });

  it('generates one image per mask with provenance, the same whatever the batch size', async () => {
    const a = await makeTestContext({ nodeId: 'camusx' });
    await generate.run(a, { model, masks }, generateParams);
    const out = await readDataset(a.outputDir('dataset'));
    const source = await readDataset(masks.dir);
    expect(out.manifest.size).toEqual([32, 32]);
    expect(out.manifest.hasImages).toBe(true);
    expect(Array.from(out.masks)).toEqual(Array.from(source.masks));
    expect(out.manifest.items.map((item) => item.id)).toEqual(source.manifest.items.map((item) => `${item.id}_generated`));
    expect(out.manifest.items[1]).toMatchObject({
      source: 'generated',
      extra: { generatorModel: 'model-hash', generatorFrom: 'spade.model', mask: source.manifest.items[1].id, maskDataset: masks.hash },
    });
    const images = out.images as Float32Array;
    expect(images.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Different masks, different images.
    expect(images.subarray(0, 1024)).not.toEqual(images.subarray(1024, 2048));
    // 2 rows of mask | generated (these masks have no images): two columns of 160-pixel boxes.
    const [width, height] = pngSize(path.join(a.outputDir('preview'), PREVIEW_FILE));
    expect(width).toBeGreaterThan(2 * 160);
    expect(height).toBeGreaterThan(2 * 160);

    const b = await makeTestContext({ nodeId: 'camusx' });
    await generate.run(b, { model, masks }, { ...generateParams, batchSize: 3 });
    expect((await readDataset(b.outputDir('dataset'))).images).toEqual(images);
  });

  it('explains masks of the wrong size and models that are not SPADE generators', async () => {
    const a = await makeTestContext({ nodeId: 'camusx' });
    const big = path.join(a.root, 'big');
    await writeDataset(big, syntheticPairs(1, 64, 1));
    await expect(generate.run(a, { model, masks: artifact(big, 'camus.test') }, generateParams)).rejects.toThrow(
      'camusx: the model generates 32×32 images but the masks of camus.test are 64×64; resample the masks to 32×32',
    );
    const unetDir = path.join(a.root, 'unet');
    const unet = new UNet({ inChannels: 1, classes: 4, initChannels: 2, seed: 1 });
    await saveModel(unetDir, unet);
    unet.dispose();
    await expect(generate.run(a, { model: artifact(unetDir, 'unet.model', 'model'), masks }, generateParams)).rejects.toThrow(
      `input "model" (unet.model, ${unetDir}): holds a UNet, not a SPADE generator; connect a train-spade node's model output`,
    );
  });
});

describe('train-spade with the VAE head, and generate with styles', () => {
  it('trains an encoder and generates from style images or seeded random codes', async () => {
    const ctx = await makeTestContext({ nodeId: 'spade', seed: 6 });
    const { data, masks } = await writeData(ctx);
    await trainSpade.run(ctx, { data }, params({ epochs: 1, vae: true }));
    const model = artifact(ctx.outputDir('model'), 'spade.model', 'model');
    expect(Object.keys((await readLog(model.dir))[0].losses).sort()).toEqual(['D_fake', 'D_real', 'G_feat', 'G_hinge', 'G_kl']);
    expect(JSON.parse(readFileSync(path.join(model.dir, ENCODER_DIR, MODEL_FILE), 'utf8')).modelTopology.className).toBe('SpadeEncoder');

    const run = async (styles: GenerateParams['styles'], seed: number) => {
      const g = await makeTestContext({ nodeId: 'camusx', seed });
      await generate.run(g, { model, masks, styles: data }, { ...generateParams, styles });
      return readDataset(g.outputDir('dataset'));
    };
    const fromImages = await run('images', 1);
    const trainItems = (await readDataset(data.dir)).manifest.items;
    expect(fromImages.manifest.items.map((item) => item.extra?.style)).toEqual([0, 1, 2].map((k) => trainItems[k % 4].id));
    const random = await run('random', 1);
    expect(random.manifest.items.map((item) => item.extra?.style)).toEqual(['random:1', 'random:2', 'random:3']);
    expect(random.images).not.toEqual(fromImages.images);
    expect((await run('random', 1)).images).toEqual(random.images);
    expect((await run('random', 2)).images).not.toEqual(random.images);

    const g = await makeTestContext({ nodeId: 'camusx' });
    await expect(generate.run(g, { model, masks }, { ...generateParams, styles: 'images' })).rejects.toThrow(
      'camusx: params.styles is "images" but no styles dataset is connected; connect one or set styles: random',
    );
  });
});
