import * as tf from '@tensorflow/tfjs-core';
import { type NodeContext, type NodeInputs, single, UserError } from '../../engine';
import { type Dataset, readDataset } from '../data/dataset-artifact';
import { writeOutputLineage } from '../data/lineage-file';
import { train, type TrainingTask } from '../nn/training/loop';
import { Adam, minimize } from '../nn/training/optimizer';
import { augmentBatch } from './augment';
import { saveModel } from '../nn/model-file';
import type { ModelConfig, SegmentationModel } from '../nn/model';
import { type ImageStack, predictLabels } from './predict';
import { segmentationLoss } from './losses';
import { STRUCTURES, validationDice } from './validation-dice';
import { SEGMENTATION_PORTS, type SegmentationParams } from './segmentation-node';

export { SEGMENTATION_PORTS, type SegmentationParams } from './segmentation-node';

/** Params shared by train-unet and train-enet (schemas/nodes/train-*.schema.json). */
/** What a trainer node supplies: how to build its network for 1-channel images and 4 classes. */
export type BuildSegmentationModel = (args: { inChannels: 1; classes: 4; initChannels: number; seed: number }) => SegmentationModel<ModelConfig>;

const CLASSES = 4;

/**
 * The shared body of train-unet and train-enet: reads the `train` and `val` datasets, trains with the
 * shared loop (Adam, cross-entropy or cross-entropy + Dice), keeps the epoch with the best mean
 * validation Dice over LV, myocardium and LA, and writes the model with its log to the `model` port.
 */
export async function trainSegmentation(ctx: NodeContext, inputs: NodeInputs, params: SegmentationParams, build: BuildSegmentationModel): Promise<void> {
  const trainSet = await readImages(inputs, 'train');
  const valSet = await readImages(inputs, 'val');
  const [h, w] = trainSet.manifest.size;
  if (valSet.manifest.size.join('x') !== trainSet.manifest.size.join('x')) {
    throw new UserError(`${ctx.nodeId}: train images are ${h}×${w} but val images are ${valSet.manifest.size.join('×')}; resample them to one size`);
  }
  const seed = params.seed ?? ctx.seed;
  const model = build({ inChannels: 1, classes: CLASSES, initChannels: params.initChannels, seed });
  const optimizer = new Adam({ lr: params.lr }, model.trainableWeights());
  try {
    if (h % model.sizeMultiple !== 0 || w % model.sizeMultiple !== 0) {
      throw new UserError(`${ctx.nodeId}: ${model.className} needs image sizes divisible by ${model.sizeMultiple}, the datasets are ${h}×${w}`);
    }
    const outDir = ctx.outputDir('model');
    // Who the weights learnt from (train) and were picked on (val), for the leakage check of whatever evaluates them.
    await writeOutputLineage(outDir, SEGMENTATION_PORTS, 'model', inputs);
    const task = segmentationTask(model, optimizer, trainSet, valSet, params);
    const result = await train(ctx, task, {
      epochs: params.epochs,
      seed,
      modelDir: outDir,
      select: { score: 'dice_mean', mode: 'max' },
    });
    const kept = result.records[result.keptEpoch - 1];
    ctx.log(`kept epoch ${result.keptEpoch}: ${STRUCTURES.map(({ name }) => `${name} ${kept.validation[`dice_${name}`].toFixed(4)}`).join(', ')}`);
    await saveModel(outDir, model, {
      task: 'segmentation',
      inputSize: [h, w],
      labels: { 0: 'background', 1: 'LV', 2: 'myocardium', 3: 'LA' },
      training: {
        node: ctx.nodeId,
        params: { ...params, seed },
        keptEpoch: result.keptEpoch,
        validation: kept.validation,
        trainItems: trainSet.manifest.items.length,
        valItems: valSet.manifest.items.length,
        backend: ctx.backend,
      },
    });
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

function segmentationTask(
  model: SegmentationModel<ModelConfig>,
  optimizer: Adam,
  trainSet: Dataset & { images: Float32Array },
  valSet: Dataset & { images: Float32Array },
  params: SegmentationParams,
): TrainingTask {
  const [h, w] = trainSet.manifest.size;
  const valImages: ImageStack = { data: valSet.images, count: valSet.manifest.items.length, size: [h, w] };
  return {
    modules: { model },
    optimizers: {
      model: { optimizer, lr: params.lr, schedule: params.lrDecayFrom === null ? { kind: 'constant' } : { kind: 'linear-decay', from: params.lrDecayFrom } },
    },
    size: trainSet.manifest.items.length,
    batchSize: params.batchSize,
    step(indices, rng) {
      let terms: Record<string, tf.Scalar> = {};
      const loss = minimize(optimizer, () =>
        tf.tidy(() => {
          let { images, labels } = gatherBatch(trainSet, indices);
          if (params.augmentation) ({ images, labels } = augmentBatch(images, labels, rng));
          const logits = model.forward(images, { training: true, rng }) as tf.Tensor4D;
          const result = segmentationLoss(logits, labels, params.loss);
          terms = Object.fromEntries(Object.entries(result.terms).map(([k, v]) => [k, tf.keep(v)]));
          return result.loss;
        }),
      );
      return { loss, ...terms };
    },
    async validate() {
      return validationDice(predictLabels(model, valImages, params.batchSize), valSet.masks, h * w);
    },
  };
}

/** Images [B, H, W, 1] and int32 labels [B, H, W] of the given items. */
function gatherBatch(dataset: Dataset & { images: Float32Array }, indices: number[]): { images: tf.Tensor4D; labels: tf.Tensor3D } {
  const [h, w] = dataset.manifest.size;
  const pixels = h * w;
  const images = new Float32Array(indices.length * pixels);
  const labels = new Int32Array(indices.length * pixels);
  indices.forEach((item, k) => {
    images.set(dataset.images.subarray(item * pixels, (item + 1) * pixels), k * pixels);
    labels.set(dataset.masks.subarray(item * pixels, (item + 1) * pixels), k * pixels);
  });
  return { images: tf.tensor4d(images, [indices.length, h, w, 1]), labels: tf.tensor3d(labels, [indices.length, h, w]) };
}

/** A dataset input that must have images and labels 0..3, with errors naming the port and folder. */
async function readImages(inputs: NodeInputs, port: string): Promise<Dataset & { images: Float32Array }> {
  const artifact = single(inputs, port);
  const dataset = await readDataset(artifact.dir);
  if (dataset.images === undefined)
    throw new UserError(`input "${port}" (${artifact.from}, ${artifact.dir}) holds masks only; segmentation training needs images`);
  if (dataset.manifest.items.length === 0) throw new UserError(`input "${port}" (${artifact.from}, ${artifact.dir}) is empty`);
  const bad = dataset.masks.findIndex((label) => label >= CLASSES);
  if (bad >= 0) {
    const [h, w] = dataset.manifest.size;
    const item = dataset.manifest.items[Math.floor(bad / (h * w))];
    throw new UserError(
      `input "${port}" (${artifact.dir}): item ${item.id} has label ${dataset.masks[bad]}; masks must hold 0 background, 1 LV, 2 myocardium, 3 LA`,
    );
  }
  return dataset as Dataset & { images: Float32Array };
}
