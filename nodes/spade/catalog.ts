import type { ModelConfig } from '../nn/model';
import type { ModelCatalog } from '../nn/model-file';
import { SpadeDiscriminator, type SpadeDiscriminatorArgs } from './discriminator';
import { SpadeEncoder, type SpadeEncoderArgs } from './encoder';
import { SpadeGenerator, type SpadeGeneratorArgs } from './generator';

/** SPADE's networks as `model.json` names them, for loadModel. */
export const SPADE_MODELS = {
  SpadeDiscriminator: (config: ModelConfig) => new SpadeDiscriminator(config as SpadeDiscriminatorArgs),
  SpadeEncoder: (config: ModelConfig) => new SpadeEncoder(config as SpadeEncoderArgs),
  SpadeGenerator: (config: ModelConfig) => new SpadeGenerator(config as SpadeGeneratorArgs),
} satisfies ModelCatalog;
