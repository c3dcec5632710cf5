import { promises as fs } from 'fs';
import * as path from 'path';
import type { InputArtifact } from '../../engine/node-api';
import { readDataset, writeDataset } from '../../nodes/data/dataset-artifact';
import { unregister } from '../../nodes/masks/registration';
import type { MaskVaeParams } from '../../nodes/types/train-mask-vae/node';
import { TRAINING_LOG } from '../../nodes/nn/training/log-files';
import { registerDataset, REGISTRATION_FILE } from '../../nodes/mask-vae/registered-masks';
import { node as sampleMasks } from '../../nodes/types/sample-masks/node';
import { node as trainMaskVaeNode } from '../../nodes/types/train-mask-vae/node';
import { UNet } from '../../nodes/segmentation/unet';
import { saveModel, WEIGHTS_FILE } from '../../nodes/nn/model-file';
import { validationDice } from '../../nodes/segmentation/validation-dice';
import { useBackend } from '../models/backend';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { heartMasks } from './heart-masks';

beforeAll(() => useBackend('wasm'));

function artifact(dir: string, from: string, type: InputArtifact['type'] = 'dataset'): InputArtifact {
  return { dir, hash: 'test', type, from, nodeId: from.split('.')[0] };
}

/** A tiny VAE that trains in a second or two: 8 masks, 32×32, 4 channels. */
const TINY: MaskVaeParams = { size: 32, latent: 8, blocks: null, initChannels: 4, epochs: 3, batchSize: 4, lr: 0.003, loss: 'ce', klWeight: 0.01, seed: 4 };

async function heartsIn(ctx: TestContext, count: number, side: number): Promise<{ dir: string; masks: Uint8Array }> {
  const dir = path.join(ctx.root, 'hearts');
  const dataset = heartMasks(count, side, 3);
  await writeDataset(dir, dataset);
  return { dir, masks: dataset.masks };
}

async function readLog(ctx: TestContext): Promise<Array<{ losses: Record<string, number>; validation: Record<string, number> }>> {
  const text = await fs.readFile(path.join(ctx.outputDir('model'), TRAINING_LOG), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('train-mask-vae', () => {
  it('resumes an interrupted training from its checkpoint to the same weights and log as an uninterrupted one', async () => {
    const full = await makeTestContext({ nodeId: 'vae' });
    const fullData = await heartsIn(full, 8, 64);
    await trainMaskVaeNode.run(full, { masks: artifact(fullData.dir, 'hearts.masks') }, TINY);

    const ctx = await makeTestContext({ nodeId: 'vae' });
    const data = await heartsIn(ctx, 8, 64);
    const controller = new AbortController();
    // Progress is reported after the first step of each epoch: stop one step into epoch 2.
    const interrupted = { ...ctx, signal: controller.signal, progress: (update: { done: number }) => update.done > 1 && controller.abort() };
    await expect(trainMaskVaeNode.run(interrupted, { masks: artifact(data.dir, 'hearts.masks') }, TINY)).rejects.toThrow(/aborted/i);
    await trainMaskVaeNode.run({ ...ctx, signal: new AbortController().signal }, { masks: artifact(data.dir, 'hearts.masks') }, TINY);

    expect(ctx.logLines).toContain(`resuming after epoch 1 from ${path.join(ctx.root, 'checkpoints', 'latest')}`);
    expect((await readLog(ctx)).map((r) => r.losses)).toEqual((await readLog(full)).map((r) => r.losses));
    const weights = async (c: TestContext) => fs.readFile(path.join(c.outputDir('model'), WEIGHTS_FILE));
    expect((await weights(ctx)).equals(await weights(full))).toBe(true);
  });

  it('writes the registration of every training mask, which maps its registered mask back onto it', async () => {
    const ctx = await makeTestContext({ nodeId: 'vae' });
    const data = await heartsIn(ctx, 8, 64);
    await trainMaskVaeNode.run(ctx, { masks: artifact(data.dir, 'hearts.masks') }, { ...TINY, epochs: 1 });
    const json = JSON.parse(await fs.readFile(path.join(ctx.outputDir('model'), REGISTRATION_FILE), 'utf8'));
    expect(json).toMatchObject({ format: 'cardigan-mask-registration/1', size: 32, margin: 0.05 });
    expect(json.items.map((item: { id: string }) => item.id)).toEqual(Array.from({ length: 8 }, (_, i) => `heart00${i}`));
    const registered = registerDataset(await readDataset(data.dir), 64, 'hearts.masks');
    registered.items.forEach((item, i) => {
      const back = unregister({ height: 64, width: 64, data: registered.masks.subarray(i * 64 * 64, (i + 1) * 64 * 64) }, { ...json.items[i], size: 64 });
      expect(validationDice(back.data, data.masks.subarray(i * 64 * 64, (i + 1) * 64 * 64), 64 * 64).dice_mean).toBeGreaterThan(0.95);
      expect(json.items[i]).toEqual({ ...item, size: 32 });
    });
  });

  it('names the item that cannot be registered, and refuses sizes the blocks cannot halve', async () => {
    const ctx = await makeTestContext({ nodeId: 'vae' });
    const dataset = heartMasks(3, 64, 3);
    dataset.masks.fill(3, 64 * 64, 2 * 64 * 64); // item 1 is all LA
    const dir = path.join(ctx.root, 'bad');
    await writeDataset(dir, dataset);
    await expect(trainMaskVaeNode.run(ctx, { masks: artifact(dir, 'camus.train') }, TINY)).rejects.toThrow(
      'camus.train: mask "heart001" (item 1) cannot be registered (registration: the mask has no LV or myocardium to centre on); remove it or filter the masks first (filter-degenerate-masks)',
    );
    dataset.masks[2 * 64 * 64 + 5] = 7;
    await writeDataset(dir, dataset);
    await expect(trainMaskVaeNode.run(ctx, { masks: artifact(dir, 'camus.train') }, TINY)).rejects.toThrow('camus.train: mask "heart001" (item 1)');
    const good = await heartsIn(ctx, 2, 64);
    await expect(trainMaskVaeNode.run(ctx, { masks: artifact(good.dir, 'camus.train') }, { ...TINY, size: 100 })).rejects.toThrow(
      'vae: size 100 does not halve evenly down to an 8×8 bottleneck; use a size such as 64, 128 or 256',
    );
    await expect(trainMaskVaeNode.run(ctx, { masks: artifact(good.dir, 'camus.train') }, { ...TINY, size: 48, blocks: 4 })).rejects.toThrow(
      'vae: size 48 is not divisible by 2^(blocks+1) = 32; change size or blocks (or leave blocks null)',
    );
  });
});

describe('sample-masks', () => {
  it('writes a mask-only dataset in the registered space and a preview grid', async () => {
    const ctx = await makeTestContext({ nodeId: 'vae' });
    const data = await heartsIn(ctx, 8, 64);
    await trainMaskVaeNode.run(ctx, { masks: artifact(data.dir, 'hearts.masks') }, { ...TINY, epochs: 1 });
    const samples = { ...ctx, outputDir: (port: string) => ctx.outputDir(`samples-${port}`) };
    await sampleMasks.run(samples, { model: artifact(ctx.outputDir('model'), 'vae.model', 'model') }, { count: 12, seed: 1, batchSize: 5, previewCount: 9 });
    const dataset = await readDataset(ctx.outputDir('samples-masks'));
    expect(dataset.manifest).toMatchObject({ size: [32, 32], hasImages: false });
    expect(dataset.manifest.items.map((item) => item.id)).toEqual(Array.from({ length: 12 }, (_, i) => `sample${String(i).padStart(5, '0')}`));
    expect(new Set(dataset.manifest.items.map((item) => item.source))).toEqual(new Set(['artificial-mask']));
    expect(dataset.masks.every((label) => label <= 3)).toBe(true);
    const png = await fs.readFile(path.join(ctx.outputDir('samples-preview'), 'preview.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // 9 masks make a 3 × 3 grid; the shared montage draws each 32-px mask on a tile of at least 64 px.
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(3 * 64);
    expect(width).toBeLessThan(4 * 64);
  });

  it('refuses a model that is not a mask VAE', async () => {
    const ctx = await makeTestContext({ nodeId: 'samples' });
    const unet = new UNet({ inChannels: 1, classes: 4, initChannels: 2, seed: 1 });
    const dir = path.join(ctx.root, 'unet');
    await saveModel(dir, unet);
    unet.dispose();
    await expect(sampleMasks.run(ctx, { model: artifact(dir, 'unet.model', 'model') }, { count: 2, seed: 1, batchSize: 2, previewCount: 2 })).rejects.toThrow(
      `input "model" (unet.model, ${dir}) is a UNet, not a mask VAE; connect a train-mask-vae output`,
    );
  });
});
