import { readFileSync } from 'fs';
import * as path from 'path';
import type { InputArtifact, NodeType } from '../../engine/node-api';
import { MODEL_FILE } from '../../nodes/nn/model-file';
import { predict } from '../../nodes/segmentation/predict';
import type { SegmentationParams } from '../../nodes/segmentation/segmentation-trainer';
import { TRAINING_LOG } from '../../nodes/nn/training/log-files';
import { node as trainEnet } from '../../nodes/types/train-enet/node';
import { node as trainUnet } from '../../nodes/types/train-unet/node';
import { validationDice } from '../../nodes/segmentation/validation-dice';
import { makeTestContext } from '../rig/node-context';
import { useBackend } from './backend';
import { writeSyntheticHearts } from './synthetic-hearts';

beforeAll(() => useBackend('wasm'));

function artifact(dir: string, from: string): InputArtifact {
  return { dir, hash: 'test', type: 'dataset', from, nodeId: from.split('.')[0] };
}

const base: SegmentationParams = { epochs: 40, batchSize: 8, lr: 0.001, lrDecayFrom: null, loss: 'ce', initChannels: 32, augmentation: false, seed: null };

/**
 * Test-sized budgets, found with a PyTorch port of both networks on the same images: batches of 2
 * take the fewest steps; ENet needs about twice U-Net's steps and its full width of 16 (at width 8
 * it needs ~7× more), and a decaying rate to settle its batch-norm running statistics.
 */
const cases: Array<[string, NodeType<SegmentationParams>, Partial<SegmentationParams>]> = [
  ['train-unet', trainUnet, { initChannels: 8, epochs: 16, batchSize: 2, lr: 0.01, lrDecayFrom: 8, loss: 'ce+dice' }],
  ['train-enet', trainEnet, { initChannels: 16, epochs: 32, batchSize: 2, lr: 0.02, lrDecayFrom: 16, loss: 'ce+dice' }],
];

describe.each(cases)('%s', (type, node, overrides) => {
  it('overfits 8 synthetic 64×64 images to a mean validation Dice above 0.9, and predict() reproduces it from the saved model', async () => {
    const ctx = await makeTestContext({ nodeId: type.slice('train-'.length), seed: 3 });
    const dataDir = path.join(ctx.root, 'data');
    const data = await writeSyntheticHearts(dataDir, 8, 64, 1);
    await node.run(ctx, { train: artifact(dataDir, 'camus.train'), val: artifact(dataDir, 'camus.val') }, { ...base, ...overrides });

    const modelDir = ctx.outputDir('model');
    const log = readFileSync(path.join(modelDir, TRAINING_LOG), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(log).toHaveLength(overrides.epochs ?? base.epochs);
    expect(log[log.length - 1].losses.loss).toBeLessThan(log[0].losses.loss / 3);
    const metadata = JSON.parse(readFileSync(path.join(modelDir, MODEL_FILE), 'utf8')).userDefinedMetadata;
    const kept = metadata.training.validation;
    expect(kept.dice_mean).toBeGreaterThan(0.9);
    expect(kept).toEqual(log[metadata.training.keptEpoch - 1].validation);
    expect(Math.max(...log.map((r) => r.validation.dice_mean))).toBe(kept.dice_mean);

    const labels = await predict(modelDir, { data: data.images, count: 8, size: [64, 64] });
    expect(validationDice(labels, data.masks, 64 * 64).dice_mean).toBeCloseTo(kept.dice_mean, 6);
  }, 300_000);
});
