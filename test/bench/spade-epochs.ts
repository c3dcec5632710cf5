import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../engine/compute/backend';
import type { InputArtifact } from '../../engine/node-api';
import { node as trainSpade, type TrainSpadeParams } from '../../nodes/types/train-spade/node';
import { TRAINING_LOG } from '../../nodes/nn/training/log-files';
import { makeTestContext } from '../rig/node-context';

/**
 * Benchmark (not a test): train-spade on a dataset folder (e.g. load-camus's synthetic trainval at
 * 64×64) for a few epochs, printing each epoch's summary; the model, log and sample grids are
 * copied to --out as each epoch ends, so an interrupted run still leaves its grids.
 *
 * Run: npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/spade-epochs.js \
 *        --data DIR --out DIR [--epochs 4] [--params '{"ngf":16}'] [--backend wasm]
 */
async function main(): Promise<void> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i], argv[i + 1]);
  const data = args.get('--data');
  const out = args.get('--out');
  if (data === undefined || out === undefined) throw new Error('usage: spade-epochs --data DIR --out DIR [--epochs N] [--params JSON] [--backend wasm|cpu]');
  await initBackend((args.get('--backend') ?? 'wasm') as 'wasm');
  const epochs = Number(args.get('--epochs') ?? 4);
  const overrides = JSON.parse(args.get('--params') ?? '{}') as Partial<TrainSpadeParams>;
  const params: TrainSpadeParams = {
    ngf: 16,
    ndf: 16,
    numD: 2,
    hidden: 128,
    norm: 'batch',
    spectralNorm: true,
    vae: false,
    vgg19Weights: null,
    lr: 2e-4,
    ttur: true,
    beta1: 0,
    beta2: 0.999,
    epochs,
    decayFrom: null,
    batchSize: 4,
    flip: true,
    lambdaFeat: 10,
    lambdaKl: 0.05,
    lambdaVgg: 10,
    samples: 6,
    seed: 1,
    ...overrides,
  };
  const ctx = await makeTestContext({ nodeId: 'spade', seed: 1, backend: 'wasm' });
  const input: InputArtifact = { dir: data, hash: 'bench', type: 'dataset', from: 'camus.trainval', nodeId: 'camus' };
  const modelDir = ctx.outputDir('model');
  const copy = async () => fs.cp(modelDir, out, { recursive: true });
  let copied = 0;
  const timer = setInterval(() => {
    void fs.readFile(path.join(modelDir, TRAINING_LOG), 'utf8').then(
      (text) => {
        const lines = text.trim().split('\n').filter(Boolean);
        if (lines.length > copied) {
          copied = lines.length;
          return copy();
        }
      },
      () => undefined,
    );
  }, 1000);
  console.log(`train-spade ${JSON.stringify(params)}`);
  const started = Date.now();
  try {
    await trainSpade.run({ ...ctx, log: (line) => console.log(line) }, { data: input }, params);
  } finally {
    clearInterval(timer);
  }
  await copy();
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; outputs in ${out}`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
