import Ajv from 'ajv';
import * as path from 'path';
import type { InputArtifact } from '../../engine/node-api';
import { writeDataset } from '../../nodes/data/dataset-artifact';
import type { SegmentationParams } from '../../nodes/segmentation/segmentation-trainer';
import { node as trainEnet } from '../../nodes/types/train-enet/node';
import { node as trainUnet } from '../../nodes/types/train-unet/node';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { useBackend } from './backend';
import { syntheticHearts } from './synthetic-hearts';

beforeAll(() => useBackend('cpu'));

const defaults: Omit<SegmentationParams, 'initChannels'> = {
  epochs: 40,
  batchSize: 8,
  lr: 0.001,
  lrDecayFrom: null,
  loss: 'ce',
  augmentation: false,
  seed: null,
};

describe('train-unet and train-enet params', () => {
  it.each([
    ['train-unet', trainUnet, 32],
    ['train-enet', trainEnet, 16],
  ] as const)('%s: defaults are the paper settings, and unknown or invalid params are refused', (_, node, width) => {
    const validate = new Ajv({ useDefaults: true, allErrors: true }).compile(node.paramsSchema);
    const params = {};
    expect(validate(params)).toBe(true);
    expect(params).toEqual({ ...defaults, initChannels: width });
    expect(validate({ epoch: 3 })).toBe(false);
    expect(validate({ initChannels: width + 1 })).toBe(false);
    expect(validate({ loss: 'dice' })).toBe(false);
  });
});

describe('train-unet inputs', () => {
  let ctx: TestContext;
  const params: SegmentationParams = { ...defaults, initChannels: 8, epochs: 1 };
  const artifact = (dir: string, port: string): InputArtifact => ({ dir, hash: 'test', type: 'dataset', from: `data.${port}`, nodeId: 'data' });

  async function dataset(name: string, size: number, edit: (d: ReturnType<typeof syntheticHearts>) => void = () => {}): Promise<string> {
    const dir = path.join(ctx.root, name);
    const data = syntheticHearts(2, size, 1);
    edit(data);
    await writeDataset(dir, data);
    return dir;
  }

  beforeAll(async () => {
    ctx = await makeTestContext({ nodeId: 'unet' });
  });

  it('refuses a mask-only dataset, naming the port and folder', async () => {
    const good = await dataset('good', 64);
    const dir = path.join(ctx.root, 'masks-only');
    const data = syntheticHearts(2, 64, 1);
    await writeDataset(dir, { manifest: { ...data.manifest, hasImages: false }, masks: data.masks });
    await expect(trainUnet.run(ctx, { train: artifact(dir, 'train'), val: artifact(good, 'val') }, params)).rejects.toThrow(
      `input "train" (data.train, ${dir}) holds masks only; segmentation training needs images`,
    );
  });

  it('refuses labels outside 0..3, naming the item', async () => {
    const good = await dataset('good2', 64);
    const bad = await dataset('bad-labels', 64, (d) => (d.masks[64 * 64 + 5] = 7));
    await expect(trainUnet.run(ctx, { train: artifact(good, 'train'), val: artifact(bad, 'val') }, params)).rejects.toThrow(
      `input "val" (${bad}): item synthetic1 has label 7; masks must hold 0 background, 1 LV, 2 myocardium, 3 LA`,
    );
  });

  it('refuses train and val of different sizes, and sizes the network cannot pool', async () => {
    const small = await dataset('small', 32);
    const large = await dataset('large', 64);
    await expect(trainUnet.run(ctx, { train: artifact(large, 'train'), val: artifact(small, 'val') }, params)).rejects.toThrow(
      'unet: train images are 64×64 but val images are 32×32; resample them to one size',
    );
    const odd = await dataset('odd', 48);
    await expect(trainUnet.run(ctx, { train: artifact(odd, 'train'), val: artifact(odd, 'val') }, params)).rejects.toThrow(
      'unet: UNet needs image sizes divisible by 32, the datasets are 48×48',
    );
  });
});
