import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../nn/training/rng';
import { BatchNorm } from '../nn/layers/batch-norm';
import { Conv2d } from '../nn/layers/conv2d';
import { ConvTranspose2d } from '../nn/layers/conv-transpose2d';
import { maxPoolWithMask, maxUnpool } from '../nn/layers/max-unpool';
import { type ForwardOptions, Module } from '../nn/layers/module';
import { PReLU } from '../nn/layers/prelu';
import { SpatialDropout } from '../nn/layers/spatial-dropout';

/**
 * ENet's blocks (Paszke et al. 2016), following the authors' Torch code (e-lab/ENet-training):
 * the internal width of a bottleneck is a quarter of its output channels, batch norm uses ε = 1e-3,
 * PReLUs have one slope per channel. Convolutions followed by batch norm carry no bias (the
 * normalisation's mean subtraction would cancel it), which drops a few redundant biases the Torch
 * code has.
 */

/** Batch-norm ε of the authors' code. */
const EPSILON = 1e-3;

export type Activation = 'prelu' | 'relu';

/** An activation with its weights (PReLU) or without (ReLU), per channel count. */
class Act extends Module {
  private readonly prelu?: PReLU;

  constructor(readonly config: { kind: Activation; channels: number }) {
    super();
    if (config.kind === 'prelu') this.prelu = this.addChild('prelu', new PReLU({ channels: config.channels }));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    return this.prelu === undefined ? tf.relu(x) : this.prelu.forward(x, options);
  }
}

/** conv → batch norm → activation (or no activation). */
class ConvNormAct extends Module {
  private readonly conv: Conv2d | ConvTranspose2d;
  private readonly norm: BatchNorm;
  private readonly act?: Act;

  constructor(conv: Conv2d | ConvTranspose2d, channels: number, activation: Activation | 'none') {
    super();
    this.conv = this.addChild('conv', conv);
    this.norm = this.addChild('bn', new BatchNorm({ channels, epsilon: EPSILON }));
    if (activation !== 'none') this.act = this.addChild('act', new Act({ kind: activation, channels }));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const y = this.norm.forward(this.conv.forward(x, options), options);
    return this.act === undefined ? y : this.act.forward(y, options);
  }
}

export interface InitialBlockArgs {
  inChannels: number;
  outChannels: number;
}

/**
 * A 3×3 stride-2 convolution to (out − in) channels beside a 2×2 max pooling of the input, concatenated
 * to `out` channels: 13 + 3 = 16 for RGB in the paper, 15 + 1 = 16 for a grey echocardiogram.
 */
export class InitialBlock extends Module {
  private readonly conv: Conv2d;
  private readonly norm: BatchNorm;
  private readonly act: Act;

  constructor(
    readonly config: InitialBlockArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels } = config;
    if (outChannels <= inChannels)
      throw new Error(`ENet initial block: ${outChannels} output channels leave none for the convolution of ${inChannels} input channels`);
    this.conv = this.addChild('conv', new Conv2d({ inChannels, outChannels: outChannels - inChannels, kernelSize: 3, stride: 2, useBias: false }, rng));
    this.norm = this.addChild('bn', new BatchNorm({ channels: outChannels, epsilon: EPSILON }));
    this.act = this.addChild('act', new Act({ kind: 'prelu', channels: outChannels }));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const joined = tf.concat([this.conv.forward(x, options), tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')], 3);
    return this.act.forward(this.norm.forward(joined, options), options);
  }
}

/** The middle convolution of a bottleneck. */
export type BottleneckKind = { type: 'regular' } | { type: 'dilated'; rate: number } | { type: 'asymmetric'; size: number };

export interface BottleneckArgs {
  inChannels: number;
  outChannels: number;
  kind: BottleneckKind;
  /** Halves the size: 2×2 stride-2 projection, max-pooled shortcut whose mask is returned. */
  downsample: boolean;
  dropout: number;
  activation: Activation;
}

/**
 * Encoder and decoder bottleneck: shortcut + (projection → middle conv → expansion → spatial dropout),
 * then the activation. When the output has more channels, the shortcut is zero-padded.
 */
export class Bottleneck extends Module<tf.Tensor, { y: tf.Tensor; mask?: tf.Tensor4D }> {
  private readonly project: ConvNormAct;
  private readonly middle: Module[];
  private readonly expand: ConvNormAct;
  private readonly dropout: SpatialDropout;
  private readonly act: Act;

  constructor(
    readonly config: BottleneckArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels, kind, downsample, activation } = config;
    if (outChannels % 4 !== 0) throw new Error(`ENet bottleneck: output channels must be a multiple of 4, got ${outChannels}`);
    if (outChannels < inChannels) throw new Error(`ENet bottleneck: cannot shrink ${inChannels} to ${outChannels} channels`);
    const internal = outChannels / 4;
    const projection = downsample
      ? new Conv2d({ inChannels, outChannels: internal, kernelSize: 2, stride: 2, padding: 'valid', useBias: false }, rng)
      : new Conv2d({ inChannels, outChannels: internal, kernelSize: 1, useBias: false }, rng);
    this.project = this.addChild('project', new ConvNormAct(projection, internal, activation));
    this.middle = this.middleConvs(kind, internal, activation, rng);
    this.expand = this.addChild(
      'expand',
      new ConvNormAct(new Conv2d({ inChannels: internal, outChannels, kernelSize: 1, useBias: false }, rng), outChannels, 'none'),
    );
    this.dropout = this.addChild('dropout', new SpatialDropout({ rate: config.dropout }));
    this.act = this.addChild('act', new Act({ kind: activation, channels: outChannels }));
  }

  private middleConvs(kind: BottleneckKind, c: number, activation: Activation, rng: Rng): Module[] {
    const conv = (args: Partial<ConstructorParameters<typeof Conv2d>[0]>) =>
      new Conv2d({ inChannels: c, outChannels: c, kernelSize: 3, useBias: false, ...args }, rng);
    switch (kind.type) {
      case 'regular':
        return [this.addChild('conv', new ConvNormAct(conv({}), c, activation))];
      case 'dilated':
        return [this.addChild('conv', new ConvNormAct(conv({ dilation: kind.rate }), c, activation))];
      case 'asymmetric':
        // As in the authors' code: k×1 then 1×k with nothing between them.
        return [
          this.addChild('conv_k1', conv({ kernelSize: [kind.size, 1] })),
          this.addChild('conv_1k', new ConvNormAct(conv({ kernelSize: [1, kind.size] }), c, activation)),
        ];
    }
  }

  protected call(x: tf.Tensor, options: ForwardOptions): { y: tf.Tensor; mask?: tf.Tensor4D } {
    let branch = this.project.forward(x, options);
    for (const m of this.middle) branch = m.forward(branch, options);
    branch = this.dropout.forward(this.expand.forward(branch, options), options);
    let shortcut = x as tf.Tensor4D;
    let mask: tf.Tensor4D | undefined;
    if (this.config.downsample) ({ pooled: shortcut, mask } = maxPoolWithMask(shortcut));
    const missing = this.config.outChannels - this.config.inChannels;
    if (missing > 0)
      shortcut = tf.pad(shortcut, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, missing],
      ]);
    const y = this.act.forward(tf.add(shortcut, branch), options);
    return mask === undefined ? { y } : { y, mask };
  }
}

export interface UpsamplingBottleneckArgs {
  inChannels: number;
  outChannels: number;
  dropout: number;
}

/**
 * Decoder bottleneck that doubles the size: the shortcut is a 1×1 conv + batch norm, max-unpooled with
 * the mask of the matching downsampling; the branch uses a 3×3 stride-2 transposed conv. ReLU, as
 * the authors' decoder.
 */
export class UpsamplingBottleneck extends Module<{ x: tf.Tensor; mask: tf.Tensor4D }> {
  private readonly shortcut: ConvNormAct;
  private readonly project: ConvNormAct;
  private readonly up: ConvNormAct;
  private readonly expand: ConvNormAct;
  private readonly dropout: SpatialDropout;

  constructor(
    readonly config: UpsamplingBottleneckArgs,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels } = config;
    if (outChannels % 4 !== 0) throw new Error(`ENet upsampling bottleneck: output channels must be a multiple of 4, got ${outChannels}`);
    const internal = outChannels / 4;
    const conv1x1 = (cin: number, cout: number) => new Conv2d({ inChannels: cin, outChannels: cout, kernelSize: 1, useBias: false }, rng);
    this.shortcut = this.addChild('shortcut', new ConvNormAct(conv1x1(inChannels, outChannels), outChannels, 'none'));
    this.project = this.addChild('project', new ConvNormAct(conv1x1(inChannels, internal), internal, 'relu'));
    const transposed = new ConvTranspose2d({ inChannels: internal, outChannels: internal, kernelSize: 3, stride: 2, useBias: false }, rng);
    this.up = this.addChild('up', new ConvNormAct(transposed, internal, 'relu'));
    this.expand = this.addChild('expand', new ConvNormAct(conv1x1(internal, outChannels), outChannels, 'none'));
    this.dropout = this.addChild('dropout', new SpatialDropout({ rate: config.dropout }));
  }

  protected call({ x, mask }: { x: tf.Tensor; mask: tf.Tensor4D }, options: ForwardOptions): tf.Tensor {
    const shortcut = maxUnpool(this.shortcut.forward(x, options) as tf.Tensor4D, mask);
    const branch = [this.project, this.up, this.expand, this.dropout].reduce((h, m) => m.forward(h, options), x);
    return tf.relu(tf.add(shortcut, branch));
  }
}
