import { promises as fs } from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { initBackend, type BackendChoice } from '../../engine/compute/backend';
import type { InputArtifact } from '../../engine/node-api';
import { isAnatomicallyValid } from '../../nodes/anatomy/validity';
import { readDataset } from '../../nodes/data/dataset-artifact';
import type { MaskVae } from '../../nodes/mask-vae/mask-vae';
import { reconstructLabels } from '../../nodes/types/train-mask-vae/run';
import type { MaskVaeParams } from '../../nodes/types/train-mask-vae/node';
import { TRAINING_LOG } from '../../nodes/nn/training/log-files';
import { registerDataset } from '../../nodes/mask-vae/registered-masks';
import { node as sampleMasks } from '../../nodes/types/sample-masks/node';
import { node as trainMaskVaeNode } from '../../nodes/types/train-mask-vae/node';
import { MASK_VAE_MODELS } from '../../nodes/mask-vae/catalog';
import { loadModel } from '../../nodes/nn/model-file';
import type { EpochRecord } from '../../nodes/nn/training/loop';
import { neighbourDice } from '../mask-vae/diversity';
import { writeHeartMasks } from '../mask-vae/heart-masks';
import { makeTestContext } from '../rig/node-context';
import { round, type BenchOptions, type BenchResult, type BenchSuite } from './suite';

/**
 * The acceptance rate of the anatomical filter on masks drawn from the VAE's prior after a longer
 * training than the test suite affords (the paper kept 4634 of 5000, 93 %), with the reconstruction
 * Dice, how many reconstructions pass the filter (a ragged decoder fails both; a prior that misses the
 * training codes fails only the samples), the samples' variety, and the training speed. Trains
 * train-mask-vae on synthetic heart masks (test/mask-vae/heart-masks.ts), draws with sample-masks.
 *
 *   npm run bench -- mask-vae [--quick]
 *
 * Other settings, for sweeps (after `npx tsc -p tsconfig.bench.json`):
 *   node dist/test/bench/mask-vae.js [--size 64] [--masks 400] [--epochs 40] [--samples 1000]
 *     [--init-channels 16] [--kl-weight 0.03] [--batch-size 16] [--lr 0.002] [--loss ce] [--latent 32]
 *     [--backend wasm] [--out DIR]      (--out keeps result.json, log.jsonl and preview.png)
 */
export interface MaskVaeBench {
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
}

/** The longer training: 256 masks at 64 px for 30 epochs (7680 mask passes, 3× the test's), 1000 samples. */
export const LONG: MaskVaeBench = {
  size: 64,
  masks: 256,
  epochs: 30,
  samples: 1000,
  initChannels: 16,
  klWeight: 0.05,
  batchSize: 16,
  lr: 0.002,
  loss: 'ce+dice',
  latent: 32,
};
/** A smoke run of the same code. */
const QUICK: MaskVaeBench = { ...LONG, masks: 32, epochs: 2, samples: 50, initChannels: 8 };

export interface MaskVaeBenchResult {
  config: MaskVaeBench;
  trainSeconds: number;
  masksPerSecond: number;
  sampleSeconds: number;
  losses: Record<string, number>;
  reconstructionDice: Record<string, number>;
  diceByEpoch: number[];
  trainingMasksValid: number;
  reconstructionsValid: number;
  acceptance: number;
  failures: Record<string, number>;
  neighbourDice: { training: number; samples: number };
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

export async function benchMaskVae(config: MaskVaeBench, log: (line: string) => void, out?: string): Promise<MaskVaeBenchResult> {
  const ctx = await makeTestContext({ nodeId: 'vae', seed: 1, backend: 'wasm' });
  try {
    const dataDir = path.join(ctx.root, 'data');
    // Drawn at twice the registered size so that registration downsamples, as it does for CAMUS.
    await writeHeartMasks(dataDir, config.masks, 2 * config.size, 11);
    const params: MaskVaeParams = { ...config, blocks: null, seed: 1 };
    const logging = { ...ctx, log: (line: string) => log(`  ${line}`) };
    const trainStart = performance.now();
    await trainMaskVaeNode.run(logging, { masks: artifact(dataDir, 'hearts.masks', 'dataset') }, params);
    const trainSeconds = (performance.now() - trainStart) / 1000;
    const modelDir = ctx.outputDir('model');
    const records = (await fs.readFile(path.join(modelDir, TRAINING_LOG), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EpochRecord);

    const sampling = { ...ctx, nodeId: 'samples', outputDir: (port: string) => ctx.outputDir(`samples-${port}`) };
    const sampleStart = performance.now();
    await sampleMasks.run(sampling, { model: artifact(modelDir, 'vae.model', 'model') }, { count: config.samples, seed: 2, batchSize: 64, previewCount: 64 });
    const sampleSeconds = (performance.now() - sampleStart) / 1000;
    const samples = await readDataset(ctx.outputDir('samples-masks'));
    const { valid, failures } = filterCounts(samples.masks, config.samples, config.size);

    const { model } = await loadModel(modelDir, MASK_VAE_MODELS);
    const registered = registerDataset(await readDataset(dataDir), config.size, 'hearts');
    const all = Array.from({ length: config.masks }, (_, i) => i);
    const reconstructed = reconstructLabels(model as MaskVae, registered.masks, config.size, all, 32);
    model.dispose();

    const last = records[records.length - 1];
    const result: MaskVaeBenchResult = {
      config,
      trainSeconds: round(trainSeconds, 1),
      masksPerSecond: round((config.masks * config.epochs) / trainSeconds, 1),
      sampleSeconds: round(sampleSeconds, 1),
      losses: last.losses,
      reconstructionDice: last.validation,
      diceByEpoch: records.map((r) => round(r.validation.dice_mean, 3)),
      trainingMasksValid: filterCounts(registered.masks, config.masks, config.size).valid / config.masks,
      reconstructionsValid: filterCounts(reconstructed, config.masks, config.size).valid / config.masks,
      acceptance: valid / config.samples,
      failures,
      neighbourDice: {
        training: round(neighbourDice(registered.masks, config.masks, config.size), 4),
        samples: round(neighbourDice(samples.masks, config.samples, config.size), 4),
      },
    };
    if (out !== undefined) {
      await fs.mkdir(out, { recursive: true });
      await fs.copyFile(path.join(modelDir, TRAINING_LOG), path.join(out, TRAINING_LOG));
      await fs.copyFile(path.join(ctx.outputDir('samples-preview'), 'preview.png'), path.join(out, 'preview.png'));
      await fs.writeFile(path.join(out, 'result.json'), JSON.stringify(result, null, 1) + '\n');
    }
    return result;
  } finally {
    await fs.rm(ctx.root, { recursive: true, force: true });
  }
}

export const suite: BenchSuite = {
  name: 'mask-vae',
  summary: 'mask VAE: filter acceptance of prior samples after a longer training (256 masks, 64 px, 30 epochs), reconstruction Dice, speed',
  async run({ quick, log }: BenchOptions): Promise<BenchResult> {
    await initBackend('wasm');
    const r = await benchMaskVae(quick ? QUICK : LONG, log);
    const c = r.config;
    return {
      rows: [
        ['training', `${c.masks} masks × ${c.epochs} epochs at ${c.size} px, ${c.initChannels} channels, KL weight ${c.klWeight}`, ''],
        ['train time', String(r.trainSeconds), 's'],
        ['train speed', String(r.masksPerSecond), 'masks/s'],
        ['reconstruction Dice', r.reconstructionDice.dice_mean.toFixed(3), ''],
        ['valid reconstructions', (100 * r.reconstructionsValid).toFixed(1), '%'],
        ['valid prior samples', (100 * r.acceptance).toFixed(1), `% of ${c.samples}`],
        ['neighbour Dice samples / training', `${r.neighbourDice.samples.toFixed(3)} / ${r.neighbourDice.training.toFixed(3)}`, ''],
      ],
      json: { maskVae: r },
    };
  },
};

function parseArgs(argv: string[]): { config: MaskVaeBench; backend: BackendChoice; out?: string } {
  const config: MaskVaeBench = { ...LONG };
  let backend: BackendChoice = 'wasm';
  let out: string | undefined;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const key = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (key === 'out') out = value;
    else if (key === 'backend') backend = value as BackendChoice;
    else if (key === 'loss') config.loss = value as MaskVaeParams['loss'];
    else if (key in config) (config as unknown as Record<string, number>)[key] = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return { config, backend, out };
}

if (require.main === module) {
  const { config, backend, out } = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(line + '\n');
  initBackend(backend)
    .then(() => benchMaskVae(config, log, out))
    .then((result) => process.stdout.write(JSON.stringify(result, null, 1) + '\n'))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
