import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENet, ENET_DEFAULTS } from '../../nodes/segmentation/enet';
import { MASK_VAE_MODELS } from '../../nodes/mask-vae/catalog';
import { loadModel as loadFrom, MODEL_FILE, saveModel, WEIGHTS_FILE } from '../../nodes/nn/model-file';
import { SEGMENTATION_MODELS } from '../../nodes/segmentation/catalog';
import { SPADE_MODELS } from '../../nodes/spade/catalog';
import { UNet } from '../../nodes/segmentation/unet';
import { Rng } from '../../nodes/nn/training/rng';
import { pythonReferences } from '../rig/references/python-references';
import { useBackend } from './backend';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

beforeAll(() => useBackend('wasm'));

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-model-'));
}

const models = {
  UNet: () => new UNet({ inChannels: 1, classes: 4, initChannels: 8, seed: 3 }),
  ENet: () => new ENet({ inChannels: 1, classes: 4, ...ENET_DEFAULTS, initChannels: 8, seed: 3 }),
};

describe.each(Object.entries(models))('%s save/load', (name, make) => {
  it('round-trips to a model that predicts exactly the same', async () => {
    const model = make();
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 4);
    // A training pass moves the batch-norm running statistics away from their initial values,
    // so the round trip has to carry non-trainable state too.
    tf.dispose(model.forward(x, { training: true, rng: new Rng(1) }));
    const dir = await tempDir();
    await saveModel(dir, model, { note: 'kept' });
    const loaded = await loadModel(dir);
    expect(loaded.model.className).toBe(name);
    expect(loaded.model.config).toEqual(model.config);
    expect(loaded.metadata).toEqual({ note: 'kept' });
    const before = model.forward(x, { training: false });
    // loadModel returns any model class; this one was saved from make().
    const after = (loaded.model as ReturnType<typeof make>).forward(x, { training: false });
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    tf.dispose([x, before, after]);
    model.dispose();
    loaded.model.dispose();
  });
});

/** Every model class cardigan stores. */
const EVERY_MODEL = { ...SEGMENTATION_MODELS, ...SPADE_MODELS, ...MASK_VAE_MODELS };
const loadModel = (dir: string): ReturnType<typeof loadFrom> => loadFrom(dir, EVERY_MODEL);

describe('model files', () => {
  it('are a TensorFlow.js weights manifest that NumPy can read without tfjs', async () => {
    const model = models.UNet();
    const dir = await tempDir();
    await saveModel(dir, model);
    const kernel = model.weights().find((w) => w.path === 'decoder2/conv1/kernel');
    if (kernel === undefined) throw new Error('decoder2/conv1/kernel not found');
    const script = `
import json, sys, numpy as np
d = sys.argv[1]
m = json.load(open(d + '/model.json'))
group = m['weightsManifest'][0]
data = np.fromfile(d + '/' + group['paths'][0], dtype='<f4')
offset = 0
for w in group['weights']:
    n = int(np.prod(w['shape']))
    if w['name'] == 'decoder2/conv1/kernel':
        print(json.dumps(data[offset:offset + n].reshape(w['shape']).sum(axis=(0, 1, 2)).tolist()))
    offset += n
`;
    const sums = JSON.parse(references.run(script, [{ input: dir }])) as number[];
    const expected = tf.tidy(() => tf.sum(kernel.variable, [0, 1, 2]).arraySync() as number[]);
    sums.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 4));
    model.dispose();
  });

  it('refuse a missing or truncated weight file, a misshapen weight and an unknown class, naming the file', async () => {
    const dir = await tempDir();
    const model = models.UNet();
    await saveModel(dir, model);
    model.dispose();
    const file = path.join(dir, MODEL_FILE);
    const json = JSON.parse(await fs.readFile(file, 'utf8'));

    await fs.rename(path.join(dir, WEIGHTS_FILE), path.join(dir, 'moved.bin'));
    await expect(loadModel(dir)).rejects.toThrow(`${file}: weight file "weights.bin" is missing beside it`);
    await fs.rename(path.join(dir, 'moved.bin'), path.join(dir, WEIGHTS_FILE));

    await fs.writeFile(file, JSON.stringify({ ...json, modelTopology: { ...json.modelTopology, config: { ...json.modelTopology.config, initChannels: 16 } } }));
    await expect(loadModel(dir)).rejects.toThrow(`${file}: weight "encoder1/conv1/kernel" has shape [3, 3, 1, 8], the model needs [3, 3, 1, 16]`);
    await fs.writeFile(file, JSON.stringify(json));

    const weights = await fs.readFile(path.join(dir, WEIGHTS_FILE));
    await fs.writeFile(path.join(dir, WEIGHTS_FILE), weights.subarray(0, 1000));
    await expect(loadModel(dir)).rejects.toThrow(`${file}: weight files weights.bin hold 1000 bytes, the manifest describes ${weights.length}`);

    await fs.writeFile(file, JSON.stringify({ ...json, modelTopology: { className: 'UNet3D', config: {} } }));
    await expect(loadModel(dir)).rejects.toThrow(
      `${file}: unknown model class "UNet3D" (known: ENet, MaskVae, SpadeDiscriminator, SpadeEncoder, SpadeGenerator, UNet)`,
    );

    await expect(loadModel(path.join(dir, 'nowhere'))).rejects.toThrow('no model here (is this the output folder of a training node?)');
  });
});
