import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import { TIMINGS_LOG, TRAINING_LOG } from '../../nodes/nn/training/log-files';
import { type EpochRecord, type EpochTiming, type StepPosition, train, type TrainingOptions } from '../../nodes/nn/training/loop';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { useBackend } from '../models/backend';
import { toyTask } from './toy-task';

// The cpu backend: bit-for-bit repeatable, and the toy net is small enough for it.
beforeAll(() => useBackend('cpu'));

type StepLosses = Array<{ at: string; loss: number }>;

function options(ctx: TestContext, epochs: number, steps?: StepLosses, extra: Partial<TrainingOptions> = {}): TrainingOptions {
  return {
    epochs,
    seed: 7,
    modelDir: ctx.outputDir('model'),
    onStep: steps === undefined ? undefined : (w: StepPosition, losses) => steps.push({ at: `${w.epoch}:${w.step}`, loss: losses.loss }),
    ...extra,
  };
}

/** A context whose abort controller the test holds. */
function abortable(ctx: TestContext): { ctx: TestContext; abort: () => void } {
  const controller = new AbortController();
  return { ctx: { ...ctx, signal: controller.signal }, abort: () => controller.abort() };
}

async function readLines<T>(ctx: TestContext, file: string): Promise<T[]> {
  const text = await fs.readFile(path.join(ctx.outputDir('model'), file), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

const readLog = (ctx: TestContext): Promise<EpochRecord[]> => readLines<EpochRecord>(ctx, TRAINING_LOG);
const readTimings = (ctx: TestContext): Promise<EpochTiming[]> => readLines<EpochTiming>(ctx, TIMINGS_LOG);

describe('training loop', () => {
  it('learns, logs one line per epoch, reports progress and keeps the best epoch', async () => {
    const ctx = await makeTestContext({ nodeId: 'toy' });
    const toy = toyTask();
    const result = await train(ctx, toy.task, options(ctx, 4, undefined, { select: { score: 'mse', mode: 'min' } }));
    const log = await readLog(ctx);
    expect(log.map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
    expect(log[3].losses.loss).toBeLessThan(log[0].losses.loss);
    expect(log[0].lrs).toEqual({ net: 0.01 });
    expect(Object.keys(log[0].validation)).toEqual(['mse']);
    // The clock stays out of log.jsonl (it is part of the model's hash); it goes to volatile/.
    expect(Object.keys(log[0]).sort()).toEqual(['epoch', 'losses', 'lrs', 'validation']);
    const timings = await readTimings(ctx);
    expect(timings.map((t) => t.epoch)).toEqual([1, 2, 3, 4]);
    expect(Object.keys(timings[0]).sort()).toEqual(['epoch', 'imagesPerSecond', 'seconds']);
    expect(timings[0].imagesPerSecond).toBeGreaterThan(0);
    expect(timings[0].seconds).toBeGreaterThan(0);
    expect(result.timings).toEqual(timings);
    const bestEpoch = log.reduce((best, r) => (r.validation.mse < best.validation.mse ? r : best)).epoch;
    expect(result.keptEpoch).toBe(bestEpoch);
    const validation = await toy.task.validate!(0);
    expect(validation.mse).toBeCloseTo(log[bestEpoch - 1].validation.mse, 6);
    const last = ctx.progressUpdates[ctx.progressUpdates.length - 1];
    expect(last).toMatchObject({ done: 4, total: 4, unit: 'epoch' });
    expect(last.message).toMatch(/^loss \d+\.\d{4} · \d+\.\d img\/s$/);
    expect(ctx.logLines.filter((l) => l.startsWith('epoch '))).toHaveLength(4);
    toy.dispose();
  });

  it('resumes from a checkpoint with the same next-step loss and the same final weights', async () => {
    const reference: StepLosses = [];
    const full = await makeTestContext();
    const a = toyTask();
    await train(full, a.task, options(full, 3, reference));

    const { ctx, abort } = abortable(await makeTestContext());
    const interrupted: StepLosses = [];
    const b = toyTask();
    const stopInEpoch2 = options(ctx, 3, interrupted);
    const record = stopInEpoch2.onStep!;
    stopInEpoch2.onStep = (where, losses) => {
      record(where, losses);
      if (where.epoch === 1 && where.step === 0) abort();
    };
    await expect(train(ctx, b.task, stopInEpoch2)).rejects.toThrow(/aborted/i);
    expect(interrupted.map((s) => s.at)).toEqual(['0:0', '0:1', '0:2', '1:0']);
    b.dispose();

    // A fresh process: other initial weights, fresh optimiser; everything must come from the checkpoint.
    const resumedSteps: StepLosses = [];
    const c = toyTask({ seed: 99 });
    await train({ ...ctx, signal: new AbortController().signal }, c.task, options(ctx, 3, resumedSteps));
    expect(ctx.logLines).toContain(`resuming after epoch 1 from ${path.join(ctx.root, 'checkpoints', 'latest')}`);
    expect(resumedSteps).toEqual(reference.slice(3));
    const weightsA = a.net.weights().map((w) => Array.from(w.variable.dataSync()));
    const weightsC = c.net.weights().map((w) => Array.from(w.variable.dataSync()));
    expect(weightsC).toEqual(weightsA);
    expect((await readLog(ctx)).map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect((await readTimings(ctx)).map((t) => t.epoch)).toEqual([1, 2, 3]);
    // The interrupted-and-resumed log is the same bytes as the uninterrupted one.
    expect(await fs.readFile(path.join(ctx.outputDir('model'), TRAINING_LOG), 'utf8')).toBe(
      await fs.readFile(path.join(full.outputDir('model'), TRAINING_LOG), 'utf8'),
    );
    a.dispose();
    c.dispose();
  });

  it('fails on a non-finite loss naming the node, epoch and step', async () => {
    const ctx = await makeTestContext({ nodeId: 'unet[train=camusx]' });
    const toy = toyTask({ poison: 5 });
    const steps: StepLosses = [];
    const error = await train(ctx, toy.task, options(ctx, 3, steps)).catch((e: Error) => e);
    // The first batch containing example 5 is the first step whose loss is NaN.
    expect((error as Error).message).toBe(
      `unet[train=camusx]: loss "loss" became NaN at epoch 1, step ${steps.length + 1} of 3 (learning rates {"net":0.01}); ` +
        'lower the learning rate or check the inputs for NaN/Inf values',
    );
    expect((error as Error).name).toBe('UserError');
    toy.dispose();
  });

  it('applies the learning-rate schedule per epoch', async () => {
    const ctx = await makeTestContext();
    const toy = toyTask({ lr: 0.01, schedule: { kind: 'linear-decay', from: 2 } });
    await train(ctx, toy.task, options(ctx, 4));
    expect((await readLog(ctx)).map((r) => r.lrs.net)).toEqual([0.01, 0.01, 0.01, 0.005]);
    toy.dispose();
  });

  it('leaks no tensor per step', async () => {
    const ctx = await makeTestContext();
    const toy = toyTask();
    const counts: number[] = [];
    await train(ctx, toy.task, { ...options(ctx, 3), onStep: () => counts.push(tf.memory().numTensors) });
    // After the first step Adam has created its moment slots; from then on the count must not move.
    expect(new Set(counts.slice(1)).size).toBe(1);
    toy.dispose();
  });
});
