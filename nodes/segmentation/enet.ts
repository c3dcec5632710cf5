import type * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../nn/training/rng';
import { Bottleneck, type BottleneckKind, InitialBlock, UpsamplingBottleneck } from './enet-blocks';
import { ConvTranspose2d } from '../nn/layers/conv-transpose2d';
import type { ForwardOptions } from '../nn/layers/module';
import { SegmentationModel } from '../nn/model';

/**
 * ENet (Paszke et al. 2016, arXiv:1606.02147), layer for layer as the authors' Torch code
 * (e-lab/ENet-training) and the paper's Table 1, with w = initChannels (16 in the paper):
 *
 *   initial                      w         H/2   (3×3/2 conv to w − inChannels ‖ 2×2 max pool)
 *   stage 1  1 down + 4 regular  4w        H/4   dropout 0.01, PReLU
 *   stage 2  1 down + 8          8w        H/8   dropout 0.1,  PReLU
 *   stage 3  8                   8w        H/8   dropout 0.1,  PReLU
 *      the 8 = regular, dilated 2, asymmetric 5, dilated 4, regular, dilated 8, asymmetric 5, dilated 16
 *   stage 4  1 up + 2 regular    4w        H/4   dropout 0.1,  ReLU, unpooled with stage 2's mask
 *   stage 5  1 up + 1 regular    w         H/2   dropout 0.1,  ReLU, unpooled with stage 1's mask
 *   full conv 2×2/2 to classes             H
 *
 * Deviations, all documented where they are made: 1-channel input gives a 15 + 1 initial block;
 * convolutions before batch norm have no bias; the decoder has the paper's 0.1 spatial dropout
 * (the authors' decoder script has none).
 */
export type ENetArgs = {
  /** Image channels (1 for echocardiograms). */
  inChannels: number;
  /** Output classes including background (4 for CAMUS). */
  classes: number;
  /** Channels after the initial block (16 in the paper); stages have 4× and 8× this. */
  initChannels: number;
  /** Spatial dropout of stage 1 (0.01 in the paper). */
  dropoutStage1: number;
  /** Spatial dropout of later stages (0.1 in the paper). */
  dropout: number;
  /** Seed of the weight initialisation. */
  seed: number;
};

export const ENET_DEFAULTS = { initChannels: 16, dropoutStage1: 0.01, dropout: 0.1 } as const;

/** Stages 2 and 3 repeat this sequence of middle convolutions. */
const STAGE_PATTERN: BottleneckKind[] = [
  { type: 'regular' },
  { type: 'dilated', rate: 2 },
  { type: 'asymmetric', size: 5 },
  { type: 'dilated', rate: 4 },
  { type: 'regular' },
  { type: 'dilated', rate: 8 },
  { type: 'asymmetric', size: 5 },
  { type: 'dilated', rate: 16 },
];

export class ENet extends SegmentationModel<ENetArgs> {
  readonly className = 'ENet';
  readonly sizeMultiple = 8;
  readonly classes: number;
  private readonly initial: InitialBlock;
  private readonly down1: Bottleneck;
  private readonly stage1: Bottleneck[];
  private readonly down2: Bottleneck;
  private readonly stages23: Bottleneck[];
  private readonly up4: UpsamplingBottleneck;
  private readonly stage4: Bottleneck[];
  private readonly up5: UpsamplingBottleneck;
  private readonly stage5: Bottleneck[];
  private readonly fullConv: ConvTranspose2d;

  constructor(config: ENetArgs) {
    super(config);
    const { inChannels, classes, initChannels: w, dropoutStage1, dropout } = config;
    this.classes = classes;
    const rng = new Rng(config.seed);
    const regular: BottleneckKind = { type: 'regular' };
    const encoder = (name: string, cin: number, cout: number, kind: BottleneckKind, down: boolean, p: number) =>
      this.addChild(name, new Bottleneck({ inChannels: cin, outChannels: cout, kind, downsample: down, dropout: p, activation: 'prelu' }, rng));
    const decoder = (name: string, c: number) =>
      this.addChild(name, new Bottleneck({ inChannels: c, outChannels: c, kind: regular, downsample: false, dropout, activation: 'relu' }, rng));

    this.initial = this.addChild('initial', new InitialBlock({ inChannels, outChannels: w }, rng));
    this.down1 = encoder('bottleneck1_0', w, 4 * w, regular, true, dropoutStage1);
    this.stage1 = [1, 2, 3, 4].map((i) => encoder(`bottleneck1_${i}`, 4 * w, 4 * w, regular, false, dropoutStage1));
    this.down2 = encoder('bottleneck2_0', 4 * w, 8 * w, regular, true, dropout);
    this.stages23 = [2, 3].flatMap((stage) =>
      STAGE_PATTERN.map((kind, i) => encoder(`bottleneck${stage}_${stage === 2 ? i + 1 : i}`, 8 * w, 8 * w, kind, false, dropout)),
    );
    this.up4 = this.addChild('bottleneck4_0', new UpsamplingBottleneck({ inChannels: 8 * w, outChannels: 4 * w, dropout }, rng));
    this.stage4 = [1, 2].map((i) => decoder(`bottleneck4_${i}`, 4 * w));
    this.up5 = this.addChild('bottleneck5_0', new UpsamplingBottleneck({ inChannels: 4 * w, outChannels: w, dropout }, rng));
    this.stage5 = [decoder('bottleneck5_1', w)];
    this.fullConv = this.addChild('fullconv', new ConvTranspose2d({ inChannels: w, outChannels: classes, kernelSize: 2, stride: 2, padding: 'valid' }, rng));
  }

  protected call(x: tf.Tensor, options: ForwardOptions): tf.Tensor {
    const run = (blocks: Bottleneck[], h: tf.Tensor) => blocks.reduce((acc, block) => block.forward(acc, options).y, h);
    let h = this.initial.forward(x, options);
    const first = this.down1.forward(h, options);
    h = run(this.stage1, first.y);
    const second = this.down2.forward(h, options);
    h = run(this.stages23, second.y);
    h = run(this.stage4, this.up4.forward({ x: h, mask: requireMask(second.mask) }, options));
    h = run(this.stage5, this.up5.forward({ x: h, mask: requireMask(first.mask) }, options));
    return this.fullConv.forward(h, options);
  }
}

function requireMask(mask: tf.Tensor4D | undefined): tf.Tensor4D {
  if (mask === undefined) throw new Error('ENet: a downsampling bottleneck returned no pooling mask');
  return mask;
}
