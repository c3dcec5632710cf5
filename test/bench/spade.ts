import * as tf from '@tensorflow/tfjs-core';
import { performance } from 'perf_hooks';
import { type BackendChoice, backendChoiceFrom, initBackend } from '../../engine/compute/backend';
import { SpadeDiscriminator } from '../../nodes/spade/discriminator';
import { SpadeGenerator } from '../../nodes/spade/generator';
import { spadeTask } from '../../nodes/spade/spade-task';
import { Rng } from '../../nodes/nn/training/rng';
import { syntheticPairs } from '../spade/synthetic-pairs';

/**
 * Benchmark (not a test): seconds per SPADE training step (generator step + discriminator step, as
 * train-spade runs them) at the paper's settings — batch 4, batch norm, spectral norm, 128 SPADE
 * hidden channels, two discriminator scales, ndf = ngf — for each size and width, and what that
 * makes per image and per epoch of the paper's 1800 CAMUS train+val images.
 *
 * Run: npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/spade.js \
 *        [--sizes 64,128,256] [--ngf 48,16] [--steps 2] [--batch 4] [--hidden 128] [--backend wasm]
 */
interface Options {
  sizes: number[];
  ngfs: number[];
  steps: number;
  batch: number;
  /** SPADE's hidden channels (128 in NVlabs; smaller only for CPU-sized runs). */
  hidden: number;
  backend: BackendChoice;
}

const EPOCH_IMAGES = 1800;

function parseArgs(argv: string[]): Options {
  const options: Options = { sizes: [64, 128, 256], ngfs: [48, 16], steps: 2, batch: 4, hidden: 128, backend: 'wasm' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const numbers = () => value.split(',').map(Number);
    if (flag === '--sizes') options.sizes = numbers();
    else if (flag === '--ngf') options.ngfs = numbers();
    else if (flag === '--steps') options.steps = Number(value);
    else if (flag === '--batch') options.batch = Number(value);
    else if (flag === '--hidden') options.hidden = Number(value);
    else if (flag === '--backend') {
      options.backend = backendChoiceFrom(value);
    } else throw new Error(`unknown flag ${flag} (--sizes, --ngf, --steps, --batch, --hidden, --backend)`);
  }
  return options;
}

interface Timing {
  wall: number;
  cpu: number;
}

async function timeSteps(size: number, ngf: number, options: Options): Promise<Timing & { params: number }> {
  const data = syntheticPairs(options.batch, size, 1);
  const generator = new SpadeGenerator({
    height: size,
    width: size,
    ngf,
    labelChannels: 4,
    outChannels: 1,
    hidden: options.hidden,
    norm: 'batch',
    spectralNorm: true,
    vae: false,
    zDim: 256,
    seed: 1,
  });
  const discriminator = new SpadeDiscriminator({ inChannels: 5, ndf: ngf, numD: 2, spectralNorm: true, seed: 1 });
  const task = spadeTask({ generator, discriminator }, data, {
    lr: 2e-4,
    ttur: true,
    beta1: 0,
    beta2: 0.999,
    decayFrom: null,
    batchSize: options.batch,
    flip: true,
    lambdaFeat: 10,
    lambdaKl: 0.05,
    lambdaVgg: 10,
  });
  const rng = new Rng('bench');
  const indices = Array.from({ length: options.batch }, (_, i) => i);
  const step = async (k: number): Promise<void> => {
    const losses = await task.step(indices, rng, { epoch: 0, step: k, stepsPerEpoch: options.steps + 1 }, async () => undefined);
    Object.values(losses).forEach((loss) => loss.dataSync());
    tf.dispose(Object.values(losses));
  };
  try {
    await step(0); // warm-up: kernels compile, Adam creates its slots
    const wall0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let k = 1; k <= options.steps; k++) await step(k);
    const cpu = process.cpuUsage(cpu0);
    return {
      wall: (performance.now() - wall0) / 1000 / options.steps,
      cpu: (cpu.user + cpu.system) / 1e6 / options.steps,
      params: generator.countParams() + discriminator.countParams(),
    };
  } finally {
    task.dispose();
    generator.dispose();
    discriminator.dispose();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const backend = await initBackend(options.backend, { log: () => undefined });
  console.log(
    `SPADE training steps on ${backend.kind} (${backend.detail}), batch ${options.batch}, SPADE hidden ${options.hidden}, ${options.steps} timed steps after one warm-up`,
  );
  console.log('| size | ngf=ndf | G+D params | s/step (wall) | s/step (CPU) | s/image | h/epoch of 1800 images |');
  console.log('|---|---|---|---|---|---|---|');
  for (const size of options.sizes)
    for (const ngf of options.ngfs) {
      try {
        const t = await timeSteps(size, ngf, options);
        const perImage = t.wall / options.batch;
        console.log(
          `| ${size} | ${ngf} | ${(t.params / 1e6).toFixed(1)} M | ${t.wall.toFixed(2)} | ${t.cpu.toFixed(2)} | ${perImage.toFixed(3)} | ${((perImage * EPOCH_IMAGES) / 3600).toFixed(2)} |`,
        );
      } catch (error) {
        console.log(`| ${size} | ${ngf} | — | failed: ${(error as Error).message.split('\n')[0]} | | | |`);
      }
    }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
