import * as tf from '@tensorflow/tfjs-core';
import { expectWasmMatchesCpu, onBackend, seeded } from './compare-backends';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

const PADS: Pad[] = [
  'same',
  'valid',
  [
    [0, 0],
    [2, 0],
    [0, 3],
    [0, 0],
  ],
];

function inputGrad(xShape: number[], filterShape: number[], stride: number, pad: Pad) {
  return () => {
    const x = seeded(xShape, 1) as tf.Tensor4D;
    const w = seeded(filterShape, 2) as tf.Tensor4D;
    return tf.grad((a) => {
      const y = tf.conv2d(a as tf.Tensor4D, w, stride, pad);
      return tf.sum(tf.mul(y, seeded(y.shape, 3)));
    })(x);
  };
}

describe('wasm Conv2DBackpropInput (sub-pixel convolution)', () => {
  for (const stride of [1, 2, 3]) {
    for (const pad of PADS) {
      for (const [h, w, k] of [
        [8, 8, 3],
        [9, 7, 3],
        [7, 10, 1],
        [11, 9, 4],
        [10, 10, 5],
      ]) {
        it(`matches cpu: stride ${stride}, pad ${JSON.stringify(pad)}, ${h}x${w}, ${k}x${k} kernel`, async () => {
          await expectWasmMatchesCpu(inputGrad([2, h, w, 3], [k, k, 3, 4], stride, pad));
        });
      }
    }
  }

  it("serves conv2dTranspose (ENet's decoder) with an odd output size", async () => {
    await expectWasmMatchesCpu(() =>
      tf.conv2dTranspose(seeded([1, 5, 6, 4], 4) as tf.Tensor4D, seeded([3, 3, 2, 4], 5) as tf.Tensor4D, [1, 9, 11, 2], 2, 'same'),
    );
  });

  it('falls back to the stock kernel for unequal strides', async () => {
    await expectWasmMatchesCpu(inputGrad([1, 8, 9, 2], [3, 3, 2, 3], [2, 1] as unknown as number, 'same'));
  });

  it('is not the zero gradient', async () => {
    const [dx] = await onBackend('wasm', inputGrad([2, 8, 8, 3], [3, 3, 3, 4], 2, 'same'));
    expect(Math.max(...Array.from(dx, Math.abs))).toBeGreaterThan(0.1);
  });
});
