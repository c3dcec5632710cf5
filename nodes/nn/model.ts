import type * as tf from '@tensorflow/tfjs-core';
import { Module } from './layers/module';

/** JSON-serialisable model configuration: what `model.json` stores and a constructor takes back. */
export type ModelConfig = { readonly [key: string]: string | number | boolean | null | readonly number[] };

/**
 * A whole network that can be saved and rebuilt: its class name and config (its `XxxArgs`, seed
 * included) rebuild the same architecture, and the weight files then restore its values.
 */
export abstract class Model<Config extends ModelConfig, In = tf.Tensor, Out extends tf.TensorContainer = tf.Tensor> extends Module<In, Out> {
  abstract readonly className: string;

  constructor(readonly config: Config) {
    super();
  }
}

/** Any model, whatever its input and output (the catalog and the model file handle them all). */
export type AnyModel = Model<ModelConfig, never, tf.TensorContainer>;

/** A network mapping images [N, H, W, channels] to class logits [N, H, W, classes]. */
export abstract class SegmentationModel<Config extends ModelConfig> extends Model<Config> {
  abstract readonly classes: number;
  /** Height and width must be multiples of this (2 to the number of poolings). */
  abstract readonly sizeMultiple: number;
}
