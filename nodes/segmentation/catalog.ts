import type { ModelConfig } from '../nn/model';
import type { ModelCatalog } from '../nn/model-file';
import { ENet, type ENetArgs } from './enet';
import { UNet, type UNetArgs } from './unet';

/** The segmentation models `model.json` can name, for loadModel. */
export const SEGMENTATION_MODELS = {
  ENet: (config: ModelConfig) => new ENet(config as ENetArgs),
  UNet: (config: ModelConfig) => new UNet(config as UNetArgs),
} satisfies ModelCatalog;
