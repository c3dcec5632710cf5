import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import { type NodeContext, UserError } from '../../../engine';
import type { Module } from '../layers/module';
import type { NamedTensor } from '../weight-files';
import { abortPoint } from './abort-point';
import { readCheckpoint, restoreSnapshot, takeSnapshot, writeCheckpoint } from './checkpoint';
import { TIMINGS_LOG, TRAINING_LOG } from './log-files';
import type { Adam } from './optimizer';
import { epochRng, type Rng } from './rng';
import { learningRateAt, type LrSchedule } from './schedule';

/**
 * The one training loop every trainer uses (U-Net, ENet, and later the mask VAE and SPADE):
 *
 *   1. resume from the latest checkpoint, if any (weights, optimiser state, best epoch, log so far)
 *   2. per epoch: set each optimiser's learning rate from its schedule; shuffle the examples with the
 *      epoch's seeded stream; run the task's steps, failing on a non-finite loss and stopping on abort
 *   3. validate, log a `log.jsonl` line (and its wall-clock twin in `volatile/timings.jsonl`), keep
 *      a snapshot of the best epoch's weights
 *   4. checkpoint, so that an interrupted node restarts at the next epoch with the same numbers
 *   5. at the end, put the best epoch's weights back into the modules
 *
 * Every random draw of epoch e comes from streams derived from (seed, e), so the checkpoint's RNG
 * state is just the seed and the next epoch. So `log.jsonl` is the same bytes on every rerun on the
 * same backend; seconds and images/s, which are not, go to `volatile/timings.jsonl`, which stays out
 * of the model's content hash (engine/node-api.ts, VOLATILE_FOLDER).
 */
export interface TrainingTask {
  /** Everything whose weights are trained or tracked, by name; all of it is checkpointed. */
  modules: Record<string, Module<never, tf.TensorContainer>>;
  /** Each optimiser with its base learning rate and schedule. */
  optimizers: Record<string, { optimizer: Adam; lr: number; schedule: LrSchedule }>;
  /** Number of training examples; batches are drawn from a permutation of 0..size-1. */
  size: number;
  batchSize: number;
  /**
   * One optimisation step on the examples with these indices. Returns named scalar losses, which the
   * loop reads and disposes; `loss` (or the first entry) is the one shown in the progress bar. A step
   * made of several long updates (a GAN's generator and discriminator) awaits `pause` between them,
   * so that Ctrl-C or SIGTERM is seen within one update rather than one step; it throws once aborted.
   */
  step(indices: number[], rng: Rng, where: StepPosition, pause: () => Promise<void>): Record<string, tf.Scalar> | Promise<Record<string, tf.Scalar>>;
  /** Validation scores after an epoch (e.g. Dice per structure), logged and used to pick the best epoch. */
  validate?(epoch: number): Promise<Record<string, number>>;
}

export interface StepPosition {
  /** 0-based. */
  epoch: number;
  /** 0-based within the epoch. */
  step: number;
  stepsPerEpoch: number;
}

export interface TrainingOptions {
  epochs: number;
  seed: number;
  /**
   * The `model` port's folder: `log.jsonl` and `volatile/timings.jsonl` (log-files.ts) go there,
   * rewritten from the checkpoint's records on resume.
   */
  modelDir: string;
  /** Keep the weights of the epoch with the best value of this validation score. */
  select?: { score: string; mode: 'max' | 'min' };
  /** Called after every step with the losses read back (tests, fine-grained logging). */
  onStep?: (where: StepPosition, losses: Record<string, number>) => void;
  /** Losses the progress bar shows by name (a GAN's several terms); default `loss`, else the first. */
  progressLosses?: string[];
}

/** One line of `log.jsonl`: nothing in it depends on the clock. */
export interface EpochRecord {
  /** 1-based, as people count epochs. */
  epoch: number;
  /** Mean over the epoch's steps. */
  losses: Record<string, number>;
  lrs: Record<string, number>;
  validation: Record<string, number>;
}

/** One line of `volatile/timings.jsonl`. */
export interface EpochTiming {
  epoch: number;
  /** Wall-clock seconds of the epoch, validation included. */
  seconds: number;
  /** Training images per second, validation excluded. */
  imagesPerSecond: number;
}

export interface TrainingResult {
  records: EpochRecord[];
  timings: EpochTiming[];
  /** 1-based epoch whose weights the modules hold at the end (the last one without `select`). */
  keptEpoch: number;
}

interface LoopState {
  /** Epochs completed. */
  epoch: number;
  records: EpochRecord[];
  timings: EpochTiming[];
  best: { epoch: number; score: number } | null;
  rng: { seed: number; nextEpoch: number };
}

export async function train(ctx: NodeContext, task: TrainingTask, options: TrainingOptions): Promise<TrainingResult> {
  const optimizers = Object.fromEntries(Object.entries(task.optimizers).map(([name, o]) => [name, o.optimizer]));
  const batches = batchPlan(task.size, task.batchSize);

  // 1. Resume.
  let state: LoopState = { epoch: 0, records: [], timings: [], best: null, rng: { seed: options.seed, nextEpoch: 0 } };
  let best: NamedTensor[] | undefined;
  const latest = await ctx.checkpoints.latest();
  if (latest !== undefined) {
    ({ state, best } = await readCheckpoint<LoopState>(latest, task.modules, optimizers));
    ctx.log(`resuming after epoch ${state.epoch} from ${latest}`);
  }
  const logFile = path.join(options.modelDir, TRAINING_LOG);
  const timingsFile = path.join(options.modelDir, TIMINGS_LOG);
  await fs.mkdir(path.dirname(timingsFile), { recursive: true });
  await fs.writeFile(logFile, jsonLines(state.records));
  await fs.writeFile(timingsFile, jsonLines(state.timings));

  try {
    for (let epoch = state.epoch; epoch < options.epochs; epoch++) {
      // 2. Train one epoch.
      const lrs = setLearningRates(task, epoch, options.epochs);
      const started = performance.now();
      const losses = await runEpoch(ctx, task, options, epoch, batches, lrs);
      const trainSeconds = (performance.now() - started) / 1000;

      // 3. Validate, log, remember the best.
      const validation = task.validate === undefined ? {} : await task.validate(epoch);
      const record: EpochRecord = { epoch: epoch + 1, losses, lrs, validation };
      const timing: EpochTiming = {
        epoch: epoch + 1,
        seconds: round((performance.now() - started) / 1000, 3),
        imagesPerSecond: round((batches.count * batches.size) / trainSeconds, 2),
      };
      state = {
        ...state,
        epoch: epoch + 1,
        records: [...state.records, record],
        timings: [...state.timings, timing],
        rng: { seed: options.seed, nextEpoch: epoch + 1 },
      };
      await fs.appendFile(logFile, jsonLines([record]));
      await fs.appendFile(timingsFile, jsonLines([timing]));
      ctx.log(describeEpoch(record, timing, options.epochs));
      if (options.select !== undefined && isBetter(validation, options.select, state.best, record.epoch)) {
        tf.dispose(best?.map((b) => b.tensor));
        best = takeSnapshot(task.modules);
        state = { ...state, best: { epoch: record.epoch, score: validation[options.select.score] } };
      }

      // 4. Checkpoint.
      const snapshot = { modules: task.modules, optimizers, best, state };
      await ctx.checkpoints.save((dir) => writeCheckpoint(dir, snapshot));
    }

    // 5. Keep the best epoch.
    if (best !== undefined && state.best !== null) {
      restoreSnapshot(task.modules, best, `best epoch ${state.best.epoch}`);
      return { records: state.records, timings: state.timings, keptEpoch: state.best.epoch };
    }
    return { records: state.records, timings: state.timings, keptEpoch: state.epoch };
  } finally {
    tf.dispose(best?.map((b) => b.tensor));
  }
}

/** Full batches of a shuffled epoch; a last partial batch is dropped unless it is the only one. */
function batchPlan(size: number, batchSize: number): { count: number; size: number } {
  if (size < 1) throw new UserError('training: the training set is empty');
  const effective = Math.min(batchSize, size);
  return { count: Math.floor(size / effective), size: effective };
}

function setLearningRates(task: TrainingTask, epoch: number, epochs: number): Record<string, number> {
  const lrs: Record<string, number> = {};
  for (const [name, { optimizer, lr, schedule }] of Object.entries(task.optimizers)) {
    lrs[name] = learningRateAt(lr, schedule, epoch, epochs);
    optimizer.setLearningRate(lrs[name]);
  }
  return lrs;
}

async function runEpoch(
  ctx: NodeContext,
  task: TrainingTask,
  options: TrainingOptions,
  epoch: number,
  batches: { count: number; size: number },
  lrs: Record<string, number>,
): Promise<Record<string, number>> {
  const rng = epochRng(options.seed, epoch, 'train');
  const order = rng.permutation(task.size);
  const sums: Record<string, number> = {};
  const started = performance.now();
  let lastProgress = 0;
  for (let step = 0; step < batches.count; step++) {
    // A step's reads resolve as microtasks on wasm: without this, a Ctrl-C would wait for the end of training.
    await abortPoint(ctx.signal);
    const where: StepPosition = { epoch, step, stepsPerEpoch: batches.count };
    const indices = order.slice(step * batches.size, (step + 1) * batches.size);
    const scalars = await task.step(indices, rng, where, () => abortPoint(ctx.signal));
    const losses = await readLosses(scalars);
    for (const [name, value] of Object.entries(losses)) {
      if (!Number.isFinite(value)) {
        throw new UserError(
          `${ctx.nodeId}: loss "${name}" became ${value} at epoch ${epoch + 1}, step ${step + 1} of ${batches.count} ` +
            `(learning rates ${JSON.stringify(lrs)}); lower the learning rate or check the inputs for NaN/Inf values`,
        );
      }
      sums[name] = (sums[name] ?? 0) + value;
    }
    options.onStep?.(where, losses);
    const now = performance.now();
    if (now - lastProgress > 250 || step === batches.count - 1) {
      lastProgress = now;
      const rate = ((step + 1) * batches.size) / ((now - started) / 1000);
      ctx.progress({
        done: epoch + (step + 1) / batches.count,
        total: options.epochs,
        unit: 'epoch',
        message: `${describeLosses(losses, options.progressLosses)} · ${rate.toFixed(1)} img/s`,
      });
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([name, sum]) => [name, sum / batches.count]));
}

function describeLosses(losses: Record<string, number>, names: string[] | undefined): string {
  if (names === undefined) return `loss ${(losses.loss ?? Object.values(losses)[0]).toFixed(4)}`;
  return names.map((name) => `${name} ${losses[name]?.toFixed(3) ?? '?'}`).join(' ');
}

async function readLosses(scalars: Record<string, tf.Scalar>): Promise<Record<string, number>> {
  try {
    const entries = await Promise.all(Object.entries(scalars).map(async ([name, s]) => [name, (await s.data())[0]] as const));
    return Object.fromEntries(entries);
  } finally {
    tf.dispose(Object.values(scalars));
  }
}

function isBetter(validation: Record<string, number>, select: { score: string; mode: 'max' | 'min' }, best: LoopState['best'], epoch: number): boolean {
  const score = validation[select.score];
  if (score === undefined) throw new Error(`training: validation returned no "${select.score}" score at epoch ${epoch}`);
  if (!Number.isFinite(score)) return false;
  if (best === null) return true;
  return select.mode === 'max' ? score > best.score : score < best.score;
}

function describeEpoch(record: EpochRecord, timing: EpochTiming, epochs: number): string {
  const parts = [...Object.entries(record.losses), ...Object.entries(record.validation)].map(([k, v]) => `${k} ${v.toFixed(4)}`);
  return `epoch ${record.epoch}/${epochs}: ${parts.join(', ')} · ${timing.seconds.toFixed(1)} s, ${timing.imagesPerSecond} img/s`;
}

function jsonLines(values: readonly object[]): string {
  return values.map((value) => JSON.stringify(value) + '\n').join('');
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
