import type { SpadeGeneratorArgs } from '../../nodes/spade/generator';
import type { SpadeOptimisation } from '../../nodes/spade/spade-task';

/** NVlabs's SPADE settings (lr 2e-4, TTUR, Adam β = (0, 0.999), λ_feat = λ_vgg = 10, λ_kl = 0.05) at a test's batch of 2, without flips or decay. */
export function spadeOptimisation(overrides: Partial<SpadeOptimisation> = {}): SpadeOptimisation {
  return {
    lr: 2e-4,
    ttur: true,
    beta1: 0,
    beta2: 0.999,
    decayFrom: null,
    batchSize: 2,
    flip: false,
    lambdaFeat: 10,
    lambdaKl: 0.05,
    lambdaVgg: 10,
    ...overrides,
  };
}

/** NVlabs's generator (hidden 128, batch norm, spectral norm, no VAE head, z of 256) for one-channel images of `size` and 4 classes. */
export function generatorArgs(size: number, ngf: number, extra: Partial<SpadeGeneratorArgs> = {}): SpadeGeneratorArgs {
  return {
    height: size,
    width: size,
    ngf,
    labelChannels: 4,
    outChannels: 1,
    hidden: 128,
    norm: 'batch',
    spectralNorm: true,
    vae: false,
    zDim: 256,
    seed: 1,
    ...extra,
  };
}
