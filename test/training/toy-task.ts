import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm } from '../../nodes/nn/layers/batch-norm';
import { Conv2d } from '../../nodes/nn/layers/conv2d';
import { type ForwardOptions, Module } from '../../nodes/nn/layers/module';
import { SpatialDropout } from '../../nodes/nn/layers/spatial-dropout';
import type { TrainingTask } from '../../nodes/nn/training/loop';
import { Adam, minimize } from '../../nodes/nn/training/optimizer';
import { Rng } from '../../nodes/nn/training/rng';
import type { LrSchedule } from '../../nodes/nn/training/schedule';

/** conv → BN → ReLU → dropout → 1×1 conv: every stateful and random part the real models have. */
export class ToyNet extends Module {
  private readonly conv1: Conv2d;
  private readonly norm: BatchNorm;
  private readonly dropout: SpatialDropout;
  private readonly conv2: Conv2d;

  constructor(seed: number) {
    super();
    const rng = new Rng(seed);
    this.conv1 = this.addChild('conv1', new Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 3 }, rng));
    this.norm = this.addChild('bn', new BatchNorm({ channels: 4 }));
    this.dropout = this.addChild('dropout', new SpatialDropout({ rate: 0.25 }));
    this.conv2 = this.addChild('conv2', new Conv2d({ inChannels: 4, outChannels: 1, kernelSize: 1 }, rng));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const h = tf.relu(this.norm.forward(this.conv1.forward(x, options), options));
    return this.conv2.forward(this.dropout.forward(h, options), options);
  }
}

export interface ToySetup {
  net: ToyNet;
  task: TrainingTask;
  dispose(): void;
}

/**
 * Learn to blur 12 seeded 8×8 noise images (MSE). `poison` makes example i's input NaN, for the
 * non-finite loss check.
 */
export function toyTask(options: { seed?: number; lr?: number; schedule?: LrSchedule; poison?: number } = {}): ToySetup {
  const net = new ToyNet(options.seed ?? 1);
  const n = 12;
  const inputs = tf.tidy(() => {
    const x = tf.randomUniform([n, 8, 8, 1], 0, 1, 'float32', 42);
    if (options.poison === undefined) return x;
    const mask = tf.reshape(tf.oneHot(tf.tensor1d([options.poison], 'int32'), n), [n, 1, 1, 1]);
    return tf.where(tf.cast(mask, 'bool'), tf.fill([n, 8, 8, 1], NaN), x);
  });
  const targets = tf.tidy(() => tf.avgPool(inputs as tf.Tensor4D, 3, 1, 'same'));
  const optimizer = new Adam({ lr: options.lr ?? 0.01 }, net.trainableWeights());
  const task: TrainingTask = {
    modules: { net },
    optimizers: { net: { optimizer, lr: options.lr ?? 0.01, schedule: options.schedule ?? { kind: 'constant' } } },
    size: n,
    batchSize: 4,
    step(indices, rng) {
      const loss = minimize(optimizer, () =>
        tf.tidy(() => {
          const idx = tf.tensor1d(indices, 'int32');
          const y = net.forward(tf.gather(inputs, idx), { training: true, rng });
          return tf.mean(tf.squaredDifference(y, tf.gather(targets, idx))) as tf.Scalar;
        }),
      );
      return { loss };
    },
    async validate() {
      const error = tf.tidy(() => tf.mean(tf.squaredDifference(net.forward(inputs, { training: false }), targets)).dataSync()[0]);
      return { mse: error };
    },
  };
  return {
    net,
    task,
    dispose() {
      net.dispose();
      optimizer.dispose();
      tf.dispose([inputs, targets]);
    },
  };
}
