import { promises as fs } from 'fs';
import * as path from 'path';
import { type NodeContext, type NodeInputs, optional, single, UserError } from '../../../engine';
import { abortPoint } from '../../nn/training/abort-point';
import { train } from '../../nn/training/loop';
import { CLASSES } from '../../spade/batch';
import { SpadeDiscriminator } from '../../spade/discriminator';
import { SpadeEncoder } from '../../spade/encoder';
import { SpadeGenerator } from '../../spade/generator';
import { readSpadeInput } from '../../spade/inputs';
import { sampleRows, writeSampleGrid } from '../../spade/sample-grid';
import { sampleImages, type StyleSource } from '../../spade/sampler';
import { SAMPLES_DIR, saveSpade, type SpadeModels } from '../../spade/spade-files';
import { spadeTask } from '../../spade/spade-task';
import { node, type TrainSpadeParams } from './node';
import { writeOutputLineage } from '../../data/lineage-file';
import { Vgg19 } from '../../spade/vgg19';

/** NVlabs's z_dim. */
export const Z_DIM = 256;

/** train-spade's implementation (the definition is in train-spade.ts). */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: TrainSpadeParams): Promise<void> {
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
    // The patients of `data` (not of `validation`, only drawn in the grids: the port says so), which every generated image carries on.
    await writeOutputLineage(outDir, node, 'model', inputs);
    const samplesDir = path.join(outDir, SAMPLES_DIR);
    await fs.mkdir(samplesDir, { recursive: true });
    const sampleItems = Array.from({ length: Math.min(params.samples, validation.manifest.items.length) }, (_, i) => i);
    const styles: StyleSource | undefined =
      models.encoder === undefined
        ? undefined
        : validation.images !== undefined
          ? { kind: 'images', encoder: models.encoder, images: validation, pick: (k) => sampleItems[k], seed }
          : { kind: 'random', seed };
    const result = await train(
      ctx,
      {
        ...task,
        async validate(epoch): Promise<Record<string, number>> {
          const generated = await sampleImages(models.generator, validation, sampleItems, {
            batchSize: params.batchSize,
            styles,
            onBatch: () => abortPoint(ctx.signal),
          });
          const file = path.join(samplesDir, `epoch-${String(epoch + 1).padStart(3, '0')}.png`);
          await writeSampleGrid(file, sampleRows(validation, sampleItems, generated), size, `${ctx.nodeId} epoch ${epoch + 1}/${params.epochs}`);
          return validation.images === undefined ? {} : { l1_samples: meanAbsoluteError(generated, validation.images) };
        },
      },
      { epochs: params.epochs, seed, modelDir: outDir, progressLosses: task.lossNames },
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
  const location = ctx.resolvePath(params.vgg19Weights);
  const vgg = await Vgg19.load(location);
  ctx.log(`VGG19 perceptual loss on (λ=${params.lambdaVgg}) with weights from ${location}`);
  return vgg;
}

/** Mean |generated − real| in 0..1 units over the sample items (the first items of `real`). */
function meanAbsoluteError(generated: Float32Array, real: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < generated.length; i++) sum += Math.abs(generated[i] - real[i]);
  return sum / generated.length;
}
