import * as path from 'path';
import { UserError } from '../../engine';
import { loadModel, type ModelMetadata, saveModel, storedModelClass } from '../nn/model-file';
import { SPADE_MODELS } from './catalog';
import type { SpadeDiscriminator } from './discriminator';
import type { SpadeEncoder } from './encoder';
import type { SpadeGenerator } from './generator';

/**
 * How train-spade lays out its `model` output: the generator is the folder's own model.json (so
 * anything that loads "the model" gets the generator), the discriminator and the VAE encoder sit
 * in sub-folders in the same format, beside log.jsonl and the per-epoch sample grids.
 */
export const DISCRIMINATOR_DIR = 'discriminator';
export const ENCODER_DIR = 'encoder';
export const SAMPLES_DIR = 'samples';

export interface SpadeModels {
  generator: SpadeGenerator;
  discriminator: SpadeDiscriminator;
  encoder?: SpadeEncoder;
}

export async function saveSpade(dir: string, models: SpadeModels, metadata: ModelMetadata): Promise<void> {
  await saveModel(dir, models.generator, metadata);
  await saveModel(path.join(dir, DISCRIMINATOR_DIR), models.discriminator, { role: 'discriminator' });
  if (models.encoder !== undefined) await saveModel(path.join(dir, ENCODER_DIR), models.encoder, { role: 'encoder' });
}

export interface LoadedGenerator {
  generator: SpadeGenerator;
  /** Present for models trained with the VAE head. */
  encoder?: SpadeEncoder;
  metadata: ModelMetadata;
}

/** The generator (and encoder, for a VAE-head model) of a train-spade output folder. */
export async function loadSpadeGenerator(dir: string, origin: string): Promise<LoadedGenerator> {
  const stored = await storedModelClass(dir);
  if (stored !== 'SpadeGenerator') throw new UserError(`${origin}: holds a ${stored}, not a SPADE generator; connect a train-spade node's model output`);
  const { model, metadata } = await loadModel(dir, { SpadeGenerator: SPADE_MODELS.SpadeGenerator });
  if (!model.config.vae) return { generator: model, metadata };
  const encoderDir = path.join(dir, ENCODER_DIR);
  const storedEncoder = await storedModelClass(encoderDir);
  if (storedEncoder !== 'SpadeEncoder') {
    model.dispose();
    throw new UserError(`${origin}: ${ENCODER_DIR}/ holds a ${storedEncoder}, not the VAE encoder`);
  }
  const loaded = await loadModel(encoderDir, { SpadeEncoder: SPADE_MODELS.SpadeEncoder });
  return { generator: model, encoder: loaded.model, metadata };
}
