import * as tf from '@tensorflow/tfjs-core';
import { type NodeContext, type NodeInputs, single, UserError } from '../../../engine';
import { readDataset } from '../../data/dataset-artifact';
import { saveModel } from '../../nn/model-file';
import { type MaskVaeParams, node } from './node';
import { writeOutputLineage } from '../../data/lineage-file';
import { validationDice } from '../../segmentation/validation-dice';
import { train, type TrainingTask } from '../../nn/training/loop';
import { Adam, minimize } from '../../nn/training/optimizer';
import { argmaxLabels, labelBatch, oneHotInput } from '../../mask-vae/mask-batch';
import { defaultBlocks, MaskVae } from '../../mask-vae/mask-vae';
import { registerDataset, REGISTRATION_FILE, writeRegistrations, type RegisteredMasks } from '../../mask-vae/registered-masks';
import { vaeLoss } from '../../mask-vae/vae-loss';

const CLASSES = 4;
/** Training masks whose reconstruction Dice is logged after each epoch (evenly spaced over the set). */
const MONITORED = 64;

/**
 * The body of train-mask-vae: registers every mask of the `masks` input, trains the VAE with the shared
 * loop (Adam; reconstruction loss + klWeight × KL), logs the reconstruction Dice of up to 64 training
 * masks per epoch, and writes model.json, weights.bin, log.jsonl and registration.json to `model`.
 */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: MaskVaeParams): Promise<void> {
  const input = single(inputs, 'masks');
  const dataset = await readDataset(input.dir);
  if (dataset.manifest.items.length === 0) throw new UserError(`input "masks" (${input.from}, ${input.dir}) is empty`);
  const blocks = params.blocks ?? defaultBlocks(params.size);
  if (blocks === undefined) {
    throw new UserError(`${ctx.nodeId}: size ${params.size} does not halve evenly down to an 8×8 bottleneck; use a size such as 64, 128 or 256`);
  }
  if (!Number.isInteger(params.size / 2 ** (blocks + 1))) {
    throw new UserError(
      `${ctx.nodeId}: size ${params.size} is not divisible by 2^(blocks+1) = ${2 ** (blocks + 1)}; change size or blocks (or leave blocks null)`,
    );
  }
  const registered = registerDataset(dataset, params.size, input.from);
  ctx.log(`registered ${registered.items.length} masks of ${dataset.manifest.size.join('×')} into ${params.size}×${params.size}`);

  const seed = params.seed ?? ctx.seed;
  const model = new MaskVae({ classes: CLASSES, size: params.size, blocks, initChannels: params.initChannels, latent: params.latent, seed });
  const optimizer = new Adam({ lr: params.lr }, model.trainableWeights());
  try {
    const outDir = ctx.outputDir('model');
    // The patients of the training masks, which every mask sampled from the VAE carries on.
    await writeOutputLineage(outDir, node, 'model', inputs);
    const result = await train(ctx, maskVaeTask(model, optimizer, registered, params), { epochs: params.epochs, seed, modelDir: outDir });
    const last = result.records[result.records.length - 1];
    ctx.log(`reconstruction Dice of ${Math.min(MONITORED, registered.items.length)} training masks: ${last.validation.dice_mean.toFixed(4)}`);
    await writeRegistrations(outDir, registered);
    await saveModel(outDir, model, {
      task: 'mask-vae',
      registeredSize: [params.size, params.size],
      labels: { 0: 'background', 1: 'LV', 2: 'myocardium', 3: 'LA' },
      registration: { file: REGISTRATION_FILE, margin: registered.margin },
      training: {
        node: ctx.nodeId,
        params: { ...params, blocks, seed },
        epochs: result.records.length,
        losses: last.losses,
        reconstruction: last.validation,
        trainItems: registered.items.length,
        backend: ctx.backend,
      },
    });
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

function maskVaeTask(model: MaskVae, optimizer: Adam, registered: RegisteredMasks, params: MaskVaeParams): TrainingTask {
  const { masks, size } = registered;
  const count = registered.items.length;
  const monitored = Array.from({ length: Math.min(MONITORED, count) }, (_, k) => Math.floor((k * count) / Math.min(MONITORED, count)));
  return {
    modules: { model },
    optimizers: { model: { optimizer, lr: params.lr, schedule: { kind: 'constant' } } },
    size: count,
    batchSize: params.batchSize,
    step(indices, rng) {
      let terms: Record<string, tf.Scalar> = {};
      const loss = minimize(optimizer, () =>
        tf.tidy(() => {
          const labels = labelBatch(masks, size, indices);
          const output = model.reconstruct(oneHotInput(labels, CLASSES), { training: true, rng });
          const result = vaeLoss(output, labels, params.loss, params.klWeight);
          terms = Object.fromEntries(Object.entries(result.terms).map(([k, v]) => [k, tf.keep(v)]));
          return result.loss;
        }),
      );
      return { loss, ...terms };
    },
    async validate() {
      const reconstructed = reconstructLabels(model, masks, size, monitored, params.batchSize);
      const reference = new Uint8Array(monitored.length * size * size);
      monitored.forEach((item, k) => reference.set(masks.subarray(item * size * size, (item + 1) * size * size), k * size * size));
      return validationDice(reconstructed, reference, size * size);
    },
  };
}

/** Arg-max of the decoded posterior mean of the given masks, in evaluation mode. */
export function reconstructLabels(model: MaskVae, masks: Uint8Array, size: number, indices: readonly number[], batchSize: number): Uint8Array {
  const out = new Uint8Array(indices.length * size * size);
  for (let start = 0; start < indices.length; start += batchSize) {
    const batch = indices.slice(start, start + batchSize);
    const logits = tf.tidy(() => model.forward(oneHotInput(labelBatch(masks, size, batch), CLASSES), { training: false }) as tf.Tensor4D);
    out.set(argmaxLabels(logits), start * size * size);
    logits.dispose();
  }
  return out;
}
