import { promises as fs } from 'fs';
import * as path from 'path';
import { type InputArtifact, UserError } from '../../engine';
import { isAnatomicallyValid } from '../anatomy/validity';
import { encodeGrayPng } from '../data/png';
import { viewDiscs, type ViewDiscsResult } from '../clinical/simpson';
import { binaryMask, dice, segmentationMetrics, STRUCTURE_LABELS, STRUCTURE_NAMES, type SegmentationMetrics } from '../metrics/segmentation-metrics';
import { loadModel, storedModelClass } from '../nn/model-file';
import { SEGMENTATION_MODELS } from '../segmentation/catalog';
import type { SegmentationModel, ModelConfig } from '../nn/model';
import { confusionMatrix, type ImageScore } from './image-score';
import { segmentImages } from './segment';
import type { TestSet } from './test-set';

/** Where one evaluation writes and what it reports as it goes. */
export interface EvaluationTarget {
  test: TestSet;
  /** Each item's ground truth on its grid, and its file relative to the output folder. */
  groundTruths: readonly Uint8Array[];
  groundTruthFiles: readonly string[];
  fileStems: readonly string[];
  outDir: string;
  batchSize: number;
  /** Items whose model-size prediction examples.png shows. */
  exampleIndices: readonly number[];
  /** Whether to measure the LV discs of every prediction (the clinical indices). */
  clinical: boolean;
  onImage: () => void;
  signal: AbortSignal;
}

export interface ModelEvaluation {
  className: string;
  scores: ImageScore[];
  /** Model-size predictions of the example items, in exampleIndices order. */
  examples: Uint8Array[];
  /** Per item (dataset order), the LV discs of the prediction on its grid (null: no pixel spacing); empty when clinical is off. */
  discs: (ViewDiscsResult | null)[];
}

export const PREDICTIONS_DIR = 'predictions';

async function loadSegmentationModel(artifact: InputArtifact, test: TestSet): Promise<SegmentationModel<ModelConfig>> {
  const stored = await storedModelClass(artifact.dir);
  if (!(stored in SEGMENTATION_MODELS)) throw new UserError(`input "models" (${artifact.from}, ${artifact.dir}): ${stored} is not a segmentation model`);
  const { model, metadata } = await loadModel(artifact.dir, SEGMENTATION_MODELS);
  const fail = (message: string): never => {
    model.dispose();
    throw new UserError(message);
  };
  const [h, w] = test.size;
  const inputSize = metadata.inputSize;
  if (Array.isArray(inputSize) && (inputSize[0] !== h || inputSize[1] !== w)) {
    fail(
      `${artifact.nodeId} was trained on ${inputSize.join('×')} images but the test set (${test.artifact.from}) is ${h}×${w}; load the test set at the size the models were trained at`,
    );
  }
  if (h % model.sizeMultiple !== 0 || w % model.sizeMultiple !== 0) {
    fail(`${artifact.nodeId} (${model.className}) needs image sizes divisible by ${model.sizeMultiple}; the test set (${test.artifact.from}) is ${h}×${w}`);
  }
  return model;
}

/** Segments every test image with one model, scores it, and writes its predictions on their grids. */
export async function evaluateModel(artifact: InputArtifact, target: EvaluationTarget): Promise<ModelEvaluation> {
  const { test } = target;
  const model = await loadSegmentationModel(artifact, test);
  const predictionDir = path.join(PREDICTIONS_DIR, artifact.nodeId);
  await fs.mkdir(path.join(target.outDir, predictionDir), { recursive: true });
  const scores: ImageScore[] = [];
  const examples = new Map<number, Uint8Array>();
  const discs: (ViewDiscsResult | null)[] = [];
  const [h, w] = test.size;
  const images = { data: test.dataset.images, count: test.dataset.manifest.items.length, size: test.size };
  try {
    for (const { index, atModel, atTarget } of segmentImages(
      model,
      images,
      test.grids.map((g) => g.size),
      target.batchSize,
    )) {
      if (target.signal.aborted) throw new Error('evaluate was cancelled');
      const item = test.dataset.manifest.items[index];
      const { size, spacing } = test.grids[index];
      const groundTruth = target.groundTruths[index];
      const anatomy = isAnatomicallyValid(atModel, h, w);
      const prediction = path.join(predictionDir, `${target.fileStems[index]}.png`);
      await fs.writeFile(path.join(target.outDir, prediction), encodeGrayPng(atTarget, size[0], size[1]));
      if (target.exampleIndices.includes(index)) examples.set(index, atModel);
      // Measured here, one image at a time, so that no model's native-size predictions are all kept.
      if (target.clinical) discs[index] = spacing === null ? null : viewDiscs(atTarget, size[0], size[1], spacing);
      scores.push({
        model: artifact.nodeId,
        item: { id: item.id, patient: item.patient, view: item.view, phase: item.phase, source: item.source },
        size,
        spacing,
        metrics: spacing === null ? diceOnly(atTarget, groundTruth) : segmentationMetrics(atTarget, groundTruth, size[0], size[1], spacing),
        valid: anatomy.valid,
        failures: anatomy.failures,
        confusion: confusionMatrix(atTarget, groundTruth),
        files: { prediction: toPosix(prediction), groundTruth: target.groundTruthFiles[index] },
      });
      target.onImage();
    }
    return { className: model.className, scores, examples: target.exampleIndices.map((i) => examples.get(i) as Uint8Array), discs };
  } finally {
    model.dispose();
  }
}

/**
 * Dice of every structure, for an image without pixel spacing: overlap needs no mm, distances do.
 * They are NaN here only as placeholders; the score's null spacing is what marks them left out.
 */
function diceOnly(prediction: Uint8Array, groundTruth: Uint8Array): SegmentationMetrics {
  const result = {} as SegmentationMetrics;
  for (const name of STRUCTURE_NAMES) {
    const labels = STRUCTURE_LABELS[name];
    result[name] = { dice: dice(binaryMask(prediction, labels), binaryMask(groundTruth, labels)), hd: NaN, assd: NaN, hd95: NaN, mad: NaN };
  }
  return result;
}

/** Paths in CSV and JSON use `/` on every platform. */
export function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}
