import type { ModelConfig } from '../nn/model';
import type { ModelCatalog } from '../nn/model-file';
import { MaskVae, type MaskVaeArgs } from './mask-vae';

/** The mask VAE as `model.json` names it, for loadModel. */
export const MASK_VAE_MODELS = {
  MaskVae: (config: ModelConfig) => new MaskVae(config as MaskVaeArgs),
} satisfies ModelCatalog;
