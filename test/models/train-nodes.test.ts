import * as path from 'path';
import type { InputArtifact, NodeType } from '../../engine/node-api';
import { readFileSync } from 'fs';
import { MODEL_FILE } from '../../nodes/models/model-file';
import { predict } from '../../nodes/models/predict';
import { LOG_FILE, SegmentationParams } from '../../nodes/models/segmentation-trainer';
import { trainEnet } from '../../nodes/models/train-enet';
import { trainUnet } from '../../nodes/models/train-unet';
import { validationDice } from '../../nodes/models/validation-dice';
import { makeTestContext } from '../rig/node-context';
import { useBackend } from './backend';
import { writeSyntheticHearts } from './synthetic-hearts';

beforeAll(() => useBackend('wasm'));

function artifact(dir: string, from: string): InputArtifact {
  return { dir, hash: 'test', type: 'dataset', from, nodeId: from.split('.')[0] };
}

const cases: Array<[string, NodeType<SegmentationParams>, Partial<SegmentationParams>]> = [
  ['train-unet', trainUnet, { initChannels: 8, epochs: 40, lr: 0.01 }],
  ['train-enet', trainEnet, { initChannels: 8, epochs: 40, lr: 0.01 }],
];

describe.each(cases)('%s', (type, node, overrides) => {
  it('overfits 8 synthetic 64×64 images to a mean Dice above 0.9, and predict() reproduces it from the saved model', async () => {
    const ctx = await makeTestContext({ nodeId: type.slice(6), seed: 3 });
    const dataDir = path.join(ctx.root, 'data');
    const data = await writeSyntheticHearts(dataDir, 8, 64, 1);
    const params: SegmentationParams = { epochs: 40, batchSize: 8, lr: 0.001, lrDecayFrom: null, loss: 'ce', initChannels: 8, augmentation: false, seed: null, ...overrides };
    const started = Date.now();
    await node.run(ctx, { train: artifact(dataDir, 'camus.train'), val: artifact(dataDir, 'camus.val') }, params);
    const modelDir = ctx.outputDir('model');
    const log = readFileSync(path.join(modelDir, LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    console.log(type, (Date.now() - started) / 1000, 's', log.map((r) => r.validation.dice_mean.toFixed(3)).join(' '));
    const json = JSON.parse(readFileSync(path.join(modelDir, MODEL_FILE), 'utf8'));
    const kept = json.userDefinedMetadata.training.validation;
    expect(kept.dice_mean).toBeGreaterThan(0.9);
    const labels = await predict(modelDir, { data: data.images, count: 8, size: [64, 64] });
    expect(validationDice(labels, data.masks, 64 * 64).dice_mean).toBeCloseTo(kept.dice_mean, 6);
  });
});
