import type { ModelCatalog } from '../nn/model-file';
import { SpadeDiscriminator, type SpadeDiscriminatorArgs } from './discriminator';
import { SpadeEncoder, type SpadeEncoderArgs } from './encoder';
import { SpadeGenerator, type SpadeGeneratorArgs } from './generator';

/** SPADE's networks as `model.json` names them, for loadModel. */
export const SPADE_MODELS: ModelCatalog = {
  SpadeDiscriminator: (config) => new SpadeDiscriminator(config as SpadeDiscriminatorArgs),
  SpadeEncoder: (config) => new SpadeEncoder(config as SpadeEncoderArgs),
  SpadeGenerator: (config) => new SpadeGenerator(config as SpadeGeneratorArgs),
};
