import type { ModelCatalog } from '../nn/model-file';
import { ENet, type ENetArgs } from './enet';
import { UNet, type UNetArgs } from './unet';

/** The segmentation models `model.json` can name, for loadModel. */
export const SEGMENTATION_MODELS: ModelCatalog = {
  ENet: (config) => new ENet(config as ENetArgs),
  UNet: (config) => new UNet(config as UNetArgs),
};
