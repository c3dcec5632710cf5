import { ENet, ENetArgs } from './enet';
import { Model, ModelConfig } from './model';
import { UNet, UNetArgs } from './unet';

/**
 * Every model class that `model.json` can name, with how to rebuild it from its stored config.
 * One line per model; a new model (mask VAE, SPADE) adds its line here.
 */
const BUILDERS: Record<string, (config: ModelConfig) => Model<ModelConfig>> = {
  ENet: (config) => new ENet(config as ENetArgs),
  UNet: (config) => new UNet(config as UNetArgs),
};

/** Rebuilds a model from class name and config, or explains which classes exist. */
export function buildModel(className: string, config: ModelConfig): Model<ModelConfig> {
  const build = BUILDERS[className];
  if (build === undefined) throw new Error(`unknown model class "${className}" (known: ${Object.keys(BUILDERS).join(', ')})`);
  return build(config);
}
