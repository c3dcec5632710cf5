import { MaskVae, MaskVaeArgs } from './mask-vae/mask-vae';
import { SpadeDiscriminator, SpadeDiscriminatorArgs } from './spade/discriminator';
import { SpadeEncoder, SpadeEncoderArgs } from './spade/encoder';
import { SpadeGenerator, SpadeGeneratorArgs } from './spade/generator';
import { ENet, ENetArgs } from './segmentation/enet';
import { AnyModel, ModelConfig } from './nn/model';
import { UNet, UNetArgs } from './segmentation/unet';

/**
 * Every model class that `model.json` can name, with how to rebuild it from its stored config.
 * One line per model; a new model (mask VAE, SPADE) adds its line here.
 */
const BUILDERS: Record<string, (config: ModelConfig) => AnyModel> = {
  ENet: (config) => new ENet(config as ENetArgs),
  MaskVae: (config) => new MaskVae(config as MaskVaeArgs),
  SpadeDiscriminator: (config) => new SpadeDiscriminator(config as SpadeDiscriminatorArgs),
  SpadeEncoder: (config) => new SpadeEncoder(config as SpadeEncoderArgs),
  SpadeGenerator: (config) => new SpadeGenerator(config as SpadeGeneratorArgs),
  UNet: (config) => new UNet(config as UNetArgs),
};

/** Rebuilds a model from class name and config, or explains which classes exist. */
export function buildModel(className: string, config: ModelConfig): AnyModel {
  const build = BUILDERS[className];
  if (build === undefined) throw new Error(`unknown model class "${className}" (known: ${Object.keys(BUILDERS).join(', ')})`);
  return build(config);
}
