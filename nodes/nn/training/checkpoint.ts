import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { Module } from '../layers/module';
import { assignWeights } from '../model-file';
import { type NamedTensor, readWeightGroups, writeWeightGroup } from '../weight-files';
import type { Adam } from './optimizer';

/**
 * A training checkpoint: every module's weights, every optimiser's state (iteration count and Adam
 * moment buffers), the weights of the best epoch so far, and the loop's
 * JSON state. Written into the folder the engine's CheckpointStore hands out, which it then
 * renames into place, so a checkpoint is complete or absent.
 */
const FILE = 'checkpoint.json';
const FORMAT = 'cardigan-checkpoint/1';

type AnyModule = Module<never, tf.TensorContainer>;

export interface CheckpointParts<State> {
  modules: Record<string, AnyModule>;
  optimizers: Record<string, Adam>;
  /** Snapshot of all module weights at the best epoch, under `module/path` names. */
  best?: NamedTensor[];
  state: State;
}

interface CheckpointJson<State> {
  format: typeof FORMAT;
  state: State;
  weights: tf.io.WeightsManifestConfig;
  optimizers: Record<string, tf.io.WeightsManifestConfig>;
  best: tf.io.WeightsManifestConfig | null;
}

export async function writeCheckpoint<State>(dir: string, parts: CheckpointParts<State>): Promise<void> {
  const optimizers: Record<string, tf.io.WeightsManifestConfig> = {};
  for (const [name, optimizer] of Object.entries(parts.optimizers)) {
    const state = optimizer.state();
    try {
      optimizers[name] = await writeWeightGroup(dir, `optimizer-${name}.bin`, state);
    } finally {
      tf.dispose(state.map((s) => s.tensor));
    }
  }
  const json: CheckpointJson<State> = {
    format: FORMAT,
    state: parts.state,
    weights: await writeWeightGroup(dir, 'weights.bin', snapshotNames(parts.modules)),
    optimizers,
    best: parts.best === undefined ? null : await writeWeightGroup(dir, 'best.bin', parts.best),
  };
  await fs.writeFile(path.join(dir, FILE), JSON.stringify(json) + '\n');
}

/**
 * Restores modules and optimisers from `dir` and returns the loop state and the best snapshot (the
 * caller owns its tensors).
 */
export async function readCheckpoint<State>(
  dir: string,
  modules: Record<string, AnyModule>,
  optimizers: Record<string, Adam>,
): Promise<{ state: State; best?: NamedTensor[] }> {
  const file = path.join(dir, FILE);
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as CheckpointJson<State>;
  if (json.format !== FORMAT) throw new Error(`${file}: format ${JSON.stringify(json.format)}, expected "${FORMAT}"`);
  const weights = await readWeightGroups(dir, json.weights, file);
  try {
    for (const [name, module] of Object.entries(modules)) assignWeights(module, withoutPrefix(weights, `${name}/`), file);
  } finally {
    tf.dispose(Object.values(weights));
  }
  for (const [name, optimizer] of Object.entries(optimizers)) {
    const manifest = json.optimizers[name];
    if (manifest === undefined) throw new Error(`${file}: no state for optimiser "${name}"`);
    const stored = await readWeightGroups(dir, manifest, file);
    try {
      optimizer.restore(stored, file);
    } finally {
      tf.dispose(Object.values(stored));
    }
  }
  let best: NamedTensor[] | undefined;
  if (json.best !== null) {
    const stored = await readWeightGroups(dir, json.best, file);
    best = json.best[0].weights.map((spec) => ({ name: spec.name, tensor: stored[spec.name] }));
  }
  return { state: json.state, best };
}

/** All weights of all modules under `module/path` names, as (shared, not copied) tensors. */
export function snapshotNames(modules: Record<string, AnyModule>): NamedTensor[] {
  return Object.entries(modules).flatMap(([name, module]) => module.weights().map((w) => ({ name: `${name}/${w.path}`, tensor: w.variable as tf.Tensor })));
}

/** Copies of all module weights (cheap: tfjs clones share data until a variable is reassigned). */
export function takeSnapshot(modules: Record<string, AnyModule>): NamedTensor[] {
  return snapshotNames(modules).map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
}

export function restoreSnapshot(modules: Record<string, AnyModule>, snapshot: NamedTensor[], origin: string): void {
  const byName: tf.NamedTensorMap = Object.fromEntries(snapshot.map(({ name, tensor }) => [name, tensor]));
  for (const [name, module] of Object.entries(modules)) assignWeights(module, withoutPrefix(byName, `${name}/`), origin);
}

function withoutPrefix(map: tf.NamedTensorMap, prefix: string): tf.NamedTensorMap {
  return Object.fromEntries(
    Object.entries(map)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}
