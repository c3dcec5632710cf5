import { promises as fs } from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { initBackend, type BackendChoice } from '../../engine/backend';
import type { InputArtifact } from '../../engine/node-api';
import { isAnatomicallyValid } from '../../nodes/anatomy/validity';
import { readDataset } from '../../nodes/data/dataset-artifact';
import type { EpochRecord } from '../../nodes/training/loop';
import { loadModel } from '../../nodes/models/model-file';
import { MaskVae } from '../../nodes/mask-vae/mask-vae';
import { LOG_FILE, reconstructLabels, type MaskVaeParams } from '../../nodes/mask-vae/mask-vae-trainer';
import { neighbourDice } from '../mask-vae/diversity';
import { registerDataset } from '../../nodes/mask-vae/registered-masks';
import { sampleMasks } from '../../nodes/mask-vae/sample-masks';
import { trainMaskVaeNode } from '../../nodes/mask-vae/train-mask-vae';
import { writeHeartMasks } from '../mask-vae/heart-masks';
import { makeTestContext } from '../rig/node-context';

/**
 * The acceptance rate of the anatomical filter on masks sampled from the VAE's prior after a longer
 * training than the test suite can afford (the paper kept 4634 of 5000, 93 %), with the
 * reconstruction Dice and the training speed. Trains train-mask-vae on synthetic heart masks, draws
 * with sample-masks, checks each sample with isAnatomicallyValid.
 *
 * Run: npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/mask-vae.js \
 *        [--size 64] [--masks 400] [--epochs 60] [--samples 1000] [--init-channels 48] [--kl-weight 0.001] \
 *        [--batch-size 32] [--lr 0.001] [--loss ce] [--latent 32] [--backend wasm] [--out DIR]
 * --out keeps result.json, the training log and the preview grid of the samples in DIR.
 */
interface BenchOptions {
  size: number;
  masks: number;
  epochs: number;
  samples: number;
  initChannels: number;
  klWeight: number;
  batchSize: number;
  lr: number;
  loss: MaskVaeParams['loss'];
  latent: number;
  backend: BackendChoice;
  out?: string;
}

function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { size: 64, masks: 400, epochs: 60, samples: 1000, initChannels: 48, klWeight: 0.001, batchSize: 32, lr: 0.001, loss: 'ce', latent: 32, backend: 'wasm' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const key = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(key in options) && key !== 'out') throw new Error(`unknown option ${flag}`);
    (options as unknown as Record<string, string | number>)[key] = ['loss', 'backend', 'out'].includes(key) ? value : Number(value);
  }
  return options;
}

function artifact(dir: string, from: string, type: InputArtifact['type']): InputArtifact {
  return { dir, hash: 'bench', type, from, nodeId: from.split('.')[0] };
}

/** How many of `count` masks pass every anatomical criterion, and how many fail each one. */
function filterCounts(masks: Uint8Array, count: number, size: number): { valid: number; failures: Record<string, number> } {
  const failures: Record<string, number> = {};
  let valid = 0;
  for (let i = 0; i < count; i++) {
    const verdict = isAnatomicallyValid(masks.subarray(i * size * size, (i + 1) * size * size), size, size);
    if (verdict.valid) valid++;
    for (const failure of verdict.failures) failures[failure] = (failures[failure] ?? 0) + 1;
  }
  return { valid, failures };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const backend = await initBackend(options.backend);
  const ctx = await makeTestContext({ nodeId: 'vae', seed: 1, backend: backend.name });
  const dataDir = path.join(ctx.root, 'data');
  // Drawn at twice the registered size so that registration downsamples, as it does for CAMUS.
  await writeHeartMasks(dataDir, options.masks, 2 * options.size, 11);

  const params: MaskVaeParams = {
    size: options.size,
    latent: options.latent,
    blocks: null,
    initChannels: options.initChannels,
    epochs: options.epochs,
    batchSize: options.batchSize,
    lr: options.lr,
    loss: options.loss,
    klWeight: options.klWeight,
    seed: 1,
  };
  const trainStart = performance.now();
  await trainMaskVaeNode.run(ctx, { masks: artifact(dataDir, 'hearts.masks', 'dataset') }, params);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const modelDir = ctx.outputDir('model');
  const log = (await fs.readFile(path.join(modelDir, LOG_FILE), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as EpochRecord);

  const sampleCtx = { ...ctx, nodeId: 'samples', outputDir: (port: string) => ctx.outputDir(`samples-${port}`) };
  const sampleStart = performance.now();
  await sampleMasks.run(sampleCtx, { model: artifact(modelDir, 'vae.model', 'model') }, { count: options.samples, seed: 2, batchSize: 64, previewCount: 64 });
  const sampleSeconds = (performance.now() - sampleStart) / 1000;
  const samples = await readDataset(ctx.outputDir('samples-masks'));
  const { valid, failures } = filterCounts(samples.masks, options.samples, options.size);
  // Reconstructions tell a decoder that draws ragged masks from a prior that misses the data.
  const { model } = await loadModel(modelDir);
  const registered = registerDataset(await readDataset(dataDir), options.size, 'hearts');
  const indices = Array.from({ length: options.masks }, (_, i) => i);
  const reconstructed = reconstructLabels(model as MaskVae, registered.masks, options.size, indices, 32);
  model.dispose();
  const last = log[log.length - 1];
  const result = {
    options,
    backend: backend.detail,
    trainSeconds: Math.round(trainSeconds),
    masksPerSecond: Math.round((options.masks * options.epochs) / trainSeconds),
    sampleSeconds: Math.round(sampleSeconds * 10) / 10,
    losses: last.losses,
    reconstructionDice: last.validation,
    diceByEpoch: log.map((r) => Math.round(r.validation.dice_mean * 1000) / 1000),
    trainingMasksValid: filterCounts(registered.masks, options.masks, options.size).valid / options.masks,
    reconstructionsValid: filterCounts(reconstructed, options.masks, options.size).valid / options.masks,
    acceptance: valid / options.samples,
    neighbourDice: { training: neighbourDice(registered.masks, options.masks, options.size), samples: neighbourDice(samples.masks, options.samples, options.size) },
    accepted: valid,
    failures,
  };
  console.log(JSON.stringify(result, null, 1));
  const out = options.out;
  if (out !== undefined) {
    await fs.mkdir(out, { recursive: true });
    await fs.copyFile(path.join(modelDir, LOG_FILE), path.join(out, LOG_FILE));
    await fs.copyFile(path.join(ctx.outputDir('samples-preview'), 'preview.png'), path.join(out, 'preview.png'));
    await fs.writeFile(path.join(out, 'result.json'), JSON.stringify(result, null, 1) + '\n');
  }
  await fs.rm(ctx.root, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
