import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import { cardiganVersion } from '../../engine';
import type { Module } from './layers/module';
import type { AnyModel, ModelConfig } from './model';
import { type NamedTensor, readWeightGroups, writeWeightGroup } from './weight-files';

/**
 * The one save/load format of every cardigan model (DESIGN.md §4): a TensorFlow.js `model.json`
 * whose `modelTopology` holds the model's class name and config (its XxxArgs) and whose
 * `weightsManifest` describes `weights.bin`, which holds every weight under its module path
 * (`encoder1/conv1/kernel`), batch-norm running statistics included. Anything else the producer
 * wants to keep (training summary, input size) goes in `userDefinedMetadata`.
 */
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
const FORMAT = 'cardigan-model/1';

export interface ModelTopology {
  className: string;
  config: ModelConfig;
}

export type ModelMetadata = Record<string, unknown>;

/**
 * The model classes a caller can load, by the class name `model.json` stores, with how to rebuild each
 * from its config. Each model family exports its own (segmentation/catalog.ts, spade/catalog.ts,
 * mask-vae/catalog.ts), so this toolkit never imports the models built on it.
 */
export type ModelCatalog<M extends AnyModel = AnyModel> = Readonly<Record<string, (config: ModelConfig) => M>>;

interface ModelJson {
  format: typeof FORMAT;
  generatedBy: string;
  convertedBy: null;
  modelTopology: ModelTopology;
  weightsManifest: tf.io.WeightsManifestConfig;
  userDefinedMetadata: ModelMetadata;
}

export async function saveModel(dir: string, model: AnyModel, metadata: ModelMetadata = {}): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const json: ModelJson = {
    format: FORMAT,
    generatedBy: `cardigan ${cardiganVersion()}`,
    convertedBy: null,
    modelTopology: { className: model.className, config: model.config },
    weightsManifest: await writeWeightGroup(dir, WEIGHTS_FILE, namedWeights(model)),
    userDefinedMetadata: metadata,
  };
  await fs.writeFile(path.join(dir, MODEL_FILE), JSON.stringify(json, null, 1) + '\n');
}

export interface LoadedModel<M extends AnyModel = AnyModel> {
  model: M;
  metadata: ModelMetadata;
}

/** The class name `dir/model.json` stores, read before building anything (to refuse the wrong model kindly). */
export async function storedModelClass(dir: string): Promise<string> {
  return (await readModelJson(path.join(dir, MODEL_FILE))).modelTopology.className;
}

/** Rebuilds the model named in `dir/model.json` from `catalog` and loads its weights. */
export async function loadModel<C extends ModelCatalog>(dir: string, catalog: C): Promise<LoadedModel<ReturnType<C[keyof C]>>> {
  const file = path.join(dir, MODEL_FILE);
  const json = await readModelJson(file);
  let model: ReturnType<C[keyof C]>;
  try {
    model = buildModel(catalog, json.modelTopology) as ReturnType<C[keyof C]>;
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  try {
    await loadWeightsInto(model, dir, json.weightsManifest, file);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { model, metadata: json.userDefinedMetadata ?? {} };
}

/** A module's weights as tfjs named tensors, in module order. */
export function namedWeights(module: Module<never, tf.TensorContainer>): NamedTensor[] {
  return module.weights().map((w) => ({ name: w.path, tensor: w.variable }));
}

/** Assigns stored values to every weight of `module`; a missing, extra or misshapen weight is an error. */
export async function loadWeightsInto(
  module: Module<never, tf.TensorContainer>,
  dir: string,
  manifest: tf.io.WeightsManifestConfig,
  file: string,
): Promise<void> {
  const stored = await readWeightGroups(dir, manifest, file);
  try {
    assignWeights(module, stored, file);
  } finally {
    tf.dispose(Object.values(stored));
  }
}

export function assignWeights(module: Module<never, tf.TensorContainer>, stored: tf.NamedTensorMap, file: string): void {
  const weights = module.weights();
  const expected = new Set(weights.map((w) => w.path));
  const extra = Object.keys(stored).filter((name) => !expected.has(name));
  if (extra.length > 0) throw new Error(`${file}: weights not in the model: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}`);
  for (const { path: name, variable } of weights) {
    const value = stored[name];
    if (value === undefined) throw new Error(`${file}: weight "${name}" is missing`);
    if (value.shape.join('x') !== variable.shape.join('x')) {
      throw new Error(`${file}: weight "${name}" has shape [${value.shape.join(', ')}], the model needs [${variable.shape.join(', ')}]`);
    }
  }
  for (const { path: name, variable } of weights) variable.assign(stored[name]);
}

async function readModelJson(file: string): Promise<ModelJson> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new Error(`${file}: no model here (is this the output folder of a training node?)`);
  }
  let json: Partial<ModelJson>;
  try {
    json = JSON.parse(text) as Partial<ModelJson>;
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (json.format !== FORMAT) throw new Error(`${file}: format is ${JSON.stringify(json.format)}, expected "${FORMAT}"`);
  const topology = json.modelTopology;
  if (typeof topology?.className !== 'string' || typeof topology.config !== 'object' || topology.config === null) {
    throw new Error(`${file}: modelTopology needs a className and a config object`);
  }
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${file}: weightsManifest is missing`);
  return json as ModelJson;
}

function buildModel<M extends AnyModel>(catalog: ModelCatalog<M>, { className, config }: ModelTopology): M {
  const build = catalog[className];
  if (build === undefined) throw new Error(`unknown model class "${className}" (known: ${Object.keys(catalog).sort().join(', ')})`);
  return build(config);
}
