import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../engine/backend';
import { SpadeGenerator } from '../../nodes/spade/generator';
import { SpadeDiscriminator } from '../../nodes/spade/discriminator';
import { spadeTask } from '../../nodes/spade/spade-task';
import { syntheticPairs } from '../../test/spade/synthetic-pairs';
import { Rng } from '../../nodes/training/rng';

async function main() {
  await initBackend('wasm');
  const cfg = JSON.parse(process.env.CFG ?? '{}');
  const { ngf = 8, hidden = 32, bs = 4, numD = 2, steps = 20, size = 32 } = cfg;
  const data = syntheticPairs(8, size, 1);
  const generator = new SpadeGenerator({ height: size, width: size, ngf, labelChannels: 4, outChannels: 1, hidden, norm: 'batch', spectralNorm: true, vae: false, zDim: 256, seed: 1 });
  const discriminator = new SpadeDiscriminator({ inChannels: 5, ndf: ngf, numD, spectralNorm: true, seed: 1 });
  const task = spadeTask({ generator, discriminator }, data, { lr: 2e-4, ttur: true, beta1: 0, beta2: 0.999, decayFrom: null, batchSize: bs, flip: false, lambdaFeat: 10, lambdaKl: 0.05, lambdaVgg: 10 });
  const rng = new Rng(1);
  const step = () => { const l = task.step([0, 1, 2, 3, 4, 5, 6, 7].slice(0, bs), rng, { epoch: 0, step: 0, stepsPerEpoch: 1 }); tf.dispose(Object.values(l)); };
  step();
  const t = Date.now();
  for (let i = 0; i < steps; i++) step();
  console.log(JSON.stringify(cfg), (Date.now() - t) / steps, 'ms/step');
}
main();
