import { type StepPosition, train, type TrainingOptions } from '../../nodes/nn/training/loop';
import { SpadeDiscriminator } from '../../nodes/spade/discriminator';
import { SpadeEncoder } from '../../nodes/spade/encoder';
import { SpadeGenerator } from '../../nodes/spade/generator';
import { spadeTask } from '../../nodes/spade/spade-task';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { useBackend } from '../models/backend';
import { generatorArgs, spadeOptimisation } from './settings';
import { syntheticPairs } from './synthetic-pairs';

beforeAll(() => useBackend('wasm'));

type Steps = Array<{ at: string; losses: Record<string, number> }>;

/** A fresh SPADE with the VAE head (so every kind of state is in play), seeded by `seed`. */
function freshTask(seed: number) {
  const data = syntheticPairs(4, 32, 1);
  const generator = new SpadeGenerator(generatorArgs(32, 4, { hidden: 8, vae: true, zDim: 16, seed }));
  const discriminator = new SpadeDiscriminator({ inChannels: 5, ndf: 4, numD: 2, spectralNorm: true, seed });
  const encoder = new SpadeEncoder({ inChannels: 1, ngf: 2, zDim: 16, spectralNorm: true, seed });
  const task = spadeTask({ generator, discriminator, encoder }, data, spadeOptimisation({ decayFrom: 1, flip: true }));
  return { task, dispose: () => [task, generator, discriminator, encoder].forEach((m) => m.dispose()) };
}

function options(ctx: TestContext, steps: Steps, onStep?: (where: StepPosition) => void): TrainingOptions {
  return {
    epochs: 3,
    seed: 11,
    modelDir: ctx.outputDir('model'),
    onStep: (where, losses) => {
      steps.push({ at: `${where.epoch}:${where.step}`, losses });
      onStep?.(where);
    },
  };
}

describe('SPADE checkpoints', () => {
  it('resume after an interruption with the same next-step losses as an uninterrupted run', async () => {
    const reference: Steps = [];
    const a = freshTask(1);
    const full = await makeTestContext();
    await train(full, a.task, options(full, reference));
    a.dispose();

    // Interrupted in the first step of epoch 2: the checkpoint of epoch 1 is the latest.
    const ctx = await makeTestContext();
    const controller = new AbortController();
    const interrupted: Steps = [];
    const b = freshTask(1);
    await expect(
      train(
        { ...ctx, signal: controller.signal },
        b.task,
        options(ctx, interrupted, (where) => where.epoch === 1 && controller.abort()),
      ),
    ).rejects.toThrow(/aborted/i);
    b.dispose();

    // Another process: other initial weights, fresh optimisers; everything must come from the checkpoint.
    const resumed: Steps = [];
    const c = freshTask(99);
    await train(ctx, c.task, options(ctx, resumed));
    c.dispose();
    expect(resumed[0].at).toBe('1:0');
    expect(resumed).toEqual(reference.slice(2));
    expect(Object.keys(resumed[0].losses).sort()).toEqual(['D_fake', 'D_real', 'G_feat', 'G_hinge', 'G_kl']);
  });
});
