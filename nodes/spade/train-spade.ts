import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../engine/errors';
import { defineNode, NodeContext, NodeInputs, optional, single } from '../../engine/node-api';
import schema from '../../schemas/nodes/train-spade.schema.json';
import { train } from '../training/loop';
import { CLASSES } from './batch';
import { SpadeDiscriminator } from './discriminator';
import { SpadeEncoder } from './encoder';
import { SpadeGenerator } from './generator';
import { readSpadeInput } from './inputs';
import type { NormKind } from './norms';
import { sampleRows, writeSampleGrid } from './sample-grid';
import { sampleImages, StyleSource } from './sampler';
import { SAMPLES_DIR, saveSpade, SpadeModels } from './spade-files';
import { spadeTask } from './spade-task';
import { Vgg19 } from './vgg19';

/** Params of train-spade (schemas/nodes/train-spade.schema.json). */
export interface TrainSpadeParams {
  ngf: number;
  ndf: number;
  numD: number;
  hidden: number;
  norm: NormKind;
  spectralNorm: boolean;
  vae: boolean;
  vgg19Weights: string | null;
  lr: number;
  ttur: boolean;
  beta1: number;
  beta2: number;
  epochs: number;
  decayFrom: number | null;
  batchSize: number;
  flip: boolean;
  lambdaFeat: number;
  lambdaKl: number;
  lambdaVgg: number;
  samples: number;
  seed: number | null;
}

/** NVlabs's z_dim. */
export const Z_DIM = 256;
export const LOG_FILE = 'log.jsonl';

export const trainSpade = defineNode<TrainSpadeParams>({
  type: 'train-spade',
  version: 1,
  description: 'Trains SPADE (NVlabs/SPADE) to generate echocardiograms from masks; writes generator, discriminator, log and per-epoch sample grids.',
  paramsSchema: schema,
  inputs: {
    data: { type: 'dataset', description: 'Images with their masks to learn from (any size divisible by 32, e.g. CAMUS train+val at 256).' },
    validation: { type: 'dataset', optional: true, description: 'Masks (images optional) drawn in the per-epoch sample grid; without it, the first items of data.' },
  },
  outputs: {
    model: { type: 'model', description: 'Generator model.json + weights.bin, discriminator/ (and encoder/ with the VAE head), log.jsonl and samples/epoch-NNN.png.' },
  },
  resource: 'gpu',
  run: runTrainSpade,
});

async function runTrainSpade(ctx: NodeContext, inputs: NodeInputs, params: TrainSpadeParams): Promise<void> {
  const data = await readSpadeInput(single(inputs, 'data'), 'data', true);
  const validationInput = optional(inputs, 'validation');
  const validation = validationInput === undefined ? data : await readSpadeInput(validationInput, 'validation', false);
  const size = data.manifest.size;
  if (validation.manifest.size.join('x') !== size.join('x')) {
    throw new UserError(`${ctx.nodeId}: data is ${size.join('×')} but validation is ${validation.manifest.size.join('×')}; resample them to one size`);
  }
  const seed = params.seed ?? ctx.seed;
  const models = buildModels(params, size, seed);
  const vgg = await loadVgg(ctx, params);
  const task = spadeTask({ ...models, vgg }, data, params);
  try {
    const outDir = ctx.outputDir('model');
    const samplesDir = path.join(outDir, SAMPLES_DIR);
    await fs.mkdir(samplesDir, { recursive: true });
    const sampleItems = Array.from({ length: Math.min(params.samples, validation.manifest.items.length) }, (_, i) => i);
    const styles: StyleSource | undefined =
      models.encoder === undefined ? undefined : validation.images !== undefined ? { kind: 'images', encoder: models.encoder, images: validation, pick: (k) => sampleItems[k], seed } : { kind: 'random', seed };
    const result = await train(
      ctx,
      {
        ...task,
        async validate(epoch): Promise<Record<string, number>> {
          const generated = sampleImages(models.generator, validation, sampleItems, { batchSize: params.batchSize, styles });
          const file = path.join(samplesDir, `epoch-${String(epoch + 1).padStart(3, '0')}.png`);
          await writeSampleGrid(file, sampleRows(validation, sampleItems, generated), size);
          return validation.images === undefined ? {} : { l1_samples: meanAbsoluteError(generated, validation.images) };
        },
      },
      { epochs: params.epochs, seed, logFile: path.join(outDir, LOG_FILE), progressLosses: task.lossNames },
    );
    await saveSpade(outDir, models, {
      task: 'spade',
      inputSize: size,
      labels: { 0: 'background', 1: 'LV', 2: 'myocardium', 3: 'LA' },
      training: {
        node: ctx.nodeId,
        params: { ...params, seed },
        epochs: result.records.length,
        losses: result.records[result.records.length - 1]?.losses ?? {},
        vggLoss: vgg !== undefined,
        trainItems: data.manifest.items.length,
        backend: ctx.backend,
      },
    });
  } finally {
    task.dispose();
    vgg?.dispose();
    for (const model of Object.values(models)) model?.dispose();
  }
}

function buildModels(params: TrainSpadeParams, [height, width]: [number, number], seed: number): SpadeModels {
  const { ngf, ndf, numD, hidden, norm, spectralNorm, vae } = params;
  return {
    generator: new SpadeGenerator({ height, width, ngf, labelChannels: CLASSES, outChannels: 1, hidden, norm, spectralNorm, vae, zDim: Z_DIM, seed }),
    discriminator: new SpadeDiscriminator({ inChannels: CLASSES + 1, ndf, numD, spectralNorm, seed }),
    encoder: vae ? new SpadeEncoder({ inChannels: 1, ngf, zDim: Z_DIM, spectralNorm, seed }) : undefined,
  };
}

async function loadVgg(ctx: NodeContext, params: TrainSpadeParams): Promise<Vgg19 | undefined> {
  if (params.vgg19Weights === null) {
    ctx.log(`VGG19 perceptual loss off: no vgg19Weights given (NVlabs trains with it at λ=${params.lambdaVgg}; no VGG19 weights can be downloaded here)`);
    return undefined;
  }
  const vgg = await Vgg19.load(params.vgg19Weights);
  ctx.log(`VGG19 perceptual loss on (λ=${params.lambdaVgg}) with weights from ${params.vgg19Weights}`);
  return vgg;
}

/** Mean |generated − real| in 0..1 units over the sample items (the first items of `real`). */
function meanAbsoluteError(generated: Float32Array, real: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < generated.length; i++) sum += Math.abs(generated[i] - real[i]);
  return sum / generated.length;
}
