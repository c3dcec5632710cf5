import * as tf from '@tensorflow/tfjs-core';
import { chooseFilterGradMethod, type FilterGradMethod, forceFilterGradMethod } from '../../engine/compute/kernels/wasm/conv2d-backprop-filter';
import { setIm2colBlockFloats } from '../../engine/compute/kernels/wasm/filter-grad-by-matmul';
import { expectWasmMatchesCpu, onBackend, seeded } from './compare-backends';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const PADS: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [0, 1], [0, 0]]];

function filterGrad(xShape: number[], filterShape: number[], stride: number, pad: Pad) {
  return () => {
    const x = seeded(xShape, 1) as tf.Tensor4D;
    const w = seeded(filterShape, 2) as tf.Tensor4D;
    // A non-uniform upstream gradient, so every output position is weighted differently.
    const probe = (y: tf.Tensor4D) => tf.sum(tf.mul(y, seeded(y.shape, 3)));
    return tf.grads((a, b) => probe(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)))([x, w]);
  };
}

const METHODS: FilterGradMethod[] = ['convolution', 'matmul'];

describe.each(METHODS)('wasm Conv2DBackpropFilter by %s', (method) => {
  beforeAll(() => forceFilterGradMethod(method));
  afterAll(() => forceFilterGradMethod(undefined));

  for (const stride of [1, 2]) {
    for (const pad of PADS) {
      for (const [h, w, k] of [[8, 8, 3], [9, 7, 3], [7, 10, 1], [11, 9, 4]]) {
        it(`matches cpu: stride ${stride}, pad ${JSON.stringify(pad)}, ${h}x${w}, ${k}x${k} kernel`, async () => {
          await expectWasmMatchesCpu(filterGrad([2, h, w, 3], [k, k, 3, 5], stride, pad));
        });
      }
    }
  }

  it('is not the zero gradient (the comparison above has teeth)', async () => {
    const [, dw] = await onBackend('wasm', filterGrad([2, 8, 8, 3], [3, 3, 3, 5], 1, 'same'));
    expect(Math.max(...Array.from(dw, Math.abs))).toBeGreaterThan(0.1);
  });

  it('accepts NCHW tensors (moving channels last for the convolution) and matches cpu', async () => {
    await expectWasmMatchesCpu(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: seeded([2, 3, 8, 8], 1), dy: seeded([2, 5, 4, 4], 3) }, {
        strides: [2, 2], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 5],
      }) as tf.Tensor,
    );
  });
});

describe('wasm Conv2DBackpropFilter of a 1×1 stride-1 convolution as one matrix product', () => {
  afterAll(() => forceFilterGradMethod(undefined));

  it.each([
    [[2, 8, 8, 32], 128],
    [[3, 5, 7, 16], 4],
    [[1, 1, 1, 3], 2],
  ])('matches cpu for x %j to %i channels, and is chosen for it', async (xShape, out) => {
    forceFilterGradMethod(undefined);
    const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], [1, 1, xShape[3], out], 1, 1, 'same', undefined, false, 'channelsLast');
    expect(chooseFilterGradMethod(info)).toBe('pointwise');
    await expectWasmMatchesCpu(filterGrad(xShape, [1, 1, xShape[3], out], 1, 'valid'), 1e-5);
    await expectWasmMatchesCpu(filterGrad(xShape, [1, 1, xShape[3], out], 1, 'same'), 1e-5);
  });

  it('is not chosen with padding or a stride, and falls back when forced there', async () => {
    const padded = tf.backend_util.computeConv2DInfo([2, 8, 8, 3], [1, 1, 3, 5], 1, 1, [[0, 0], [1, 0], [0, 0], [0, 0]], undefined, false, 'channelsLast');
    const strided = tf.backend_util.computeConv2DInfo([2, 8, 8, 3], [1, 1, 3, 5], 2, 1, 'valid', undefined, false, 'channelsLast');
    expect([chooseFilterGradMethod(padded), chooseFilterGradMethod(strided)]).not.toContain('pointwise');
    forceFilterGradMethod('pointwise');
    await expectWasmMatchesCpu(filterGrad([2, 8, 8, 3], [1, 1, 3, 5], 2, 'valid'));
    await expectWasmMatchesCpu(filterGrad([2, 8, 8, 3], [1, 1, 3, 5], 1, [[0, 0], [1, 0], [0, 0], [0, 0]]));
  });
});

describe('wasm Conv2DBackpropFilter by matmul, in blocks of images', () => {
  it('sums the blocks to the cpu gradient when one image per block fits', async () => {
    forceFilterGradMethod('matmul');
    const previous = setIm2colBlockFloats(3 * 3 * 3 * 8 * 8);
    try {
      await expectWasmMatchesCpu(filterGrad([3, 8, 8, 3], [3, 3, 3, 5], 1, 'same'));
    } finally {
      setIm2colBlockFloats(previous);
      forceFilterGradMethod(undefined);
    }
  });
});
