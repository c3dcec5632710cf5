import * as tf from '@tensorflow/tfjs-core';
import { copyBox } from '../../engine/compute/kernels/wasm/slice';
import { onBackend } from './compare-backends';

/** The plain definition: out[i...] = x[begin + i...] over every index of the box. */
function boxByDefinition(x: ArrayLike<number>, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const visit = (axis: number, offset: number) => {
    if (axis === shape.length) {
      out.push(x[offset]);
      return;
    }
    const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < size[axis]; i++) visit(axis + 1, offset + (begin[axis] + i) * stride);
  };
  visit(0, 0);
  return out;
}

const CASES: Array<[string, number[], number[], number[]]> = [
  ['1-D middle', [40], [7], [20]],
  ['1-D whole', [5], [0], [5]],
  ['2-D rows (contiguous)', [6, 20], [2, 0], [3, 20]],
  ['2-D columns, short runs', [6, 20], [1, 3], [4, 5]],
  ['2-D columns, long runs', [3, 70], [0, 10], [3, 40]],
  ['4-D channel slice (soft Dice drops the background)', [2, 5, 6, 4], [0, 0, 0, 1], [2, 5, 6, 3]],
  ['4-D spatial window', [2, 9, 8, 3], [0, 1, 2, 0], [2, 7, 5, 3]],
  ['5-D box', [2, 3, 4, 5, 6], [1, 0, 1, 2, 0], [1, 3, 2, 3, 6]],
  ['empty', [4, 4], [1, 1], [0, 3]],
];

describe('copying a box out of a row-major array', () => {
  it.each(CASES)('%s', (_, shape, begin, size) => {
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i * 0.5 - 3);
    const out = new Float32Array(size.reduce((a, b) => a * b, 1));
    copyBox(x, shape, begin, size, out);
    expect(Array.from(out)).toEqual(boxByDefinition(x, shape, begin, size));
  });
});

describe('wasm Slice and SplitV against the cpu backend', () => {
  const run = async (fn: () => tf.Tensor[]) => [await onBackend('cpu', fn), await onBackend('wasm', fn)];

  it.each(['float32', 'int32', 'bool'] as const)('slices %s tensors of every rank as tfjs-backend-cpu does', async (dtype) => {
    const [cpu, wasm] = await run(() =>
      CASES.map(([, shape, begin, size]) => {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = tf.tensor(
          Float32Array.from({ length: n }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i - 7) as number),
          shape,
          dtype,
        );
        return tf.cast(tf.slice(x, begin, size), 'float32');
      }),
    );
    expect(wasm).toEqual(cpu);
  });

  it('splits along any axis into the pieces tfjs-backend-cpu gives, with -1 and equal splits', async () => {
    const [cpu, wasm] = await run(() => {
      const x = tf.reshape(tf.range(0, 2 * 5 * 6 * 7), [2, 5, 6, 7]);
      return [...tf.split(x, [1, 3, -1], 1), ...tf.split(x, 7, 3), ...tf.split(tf.reshape(x, [-1]), [100, 1, 319]), ...tf.split(tf.cast(x, 'int32'), 2, 0)].map(
        (t) => tf.cast(t, 'float32'),
      );
    });
    expect(wasm.map((t) => t.length)).toEqual(cpu.map((t) => t.length));
    expect(wasm).toEqual(cpu);
  });

  it('keeps the stock path for strings', async () => {
    await onBackend('wasm', () => []);
    const s = tf.tensor1d(['a', 'b', 'c', 'd']);
    expect(tf.slice(s, [1], [2]).arraySync()).toEqual(['b', 'c']);
    expect(
      tf
        .slice(
          tf.tensor2d([
            ['a', 'b'],
            ['c', 'd'],
          ]),
          [0, 1],
          [2, 1],
        )
        .arraySync(),
    ).toEqual([['b'], ['d']]);
  });

  it('gives the gradient of concat (SplitV) and of slice on wasm as on cpu', async () => {
    const [cpu, wasm] = await run(() => {
      const a = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1);
      const b = tf.randomNormal([2, 4, 4, 5], 0, 1, 'float32', 2);
      const w = tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 3);
      const grads = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], 3), w)))([a, b]);
      const g = tf.grad((p: tf.Tensor) => tf.sum(tf.slice(p, [0, 1, 1, 1], [1, 2, 3, 2])))(a);
      return [...grads, g];
    });
    expect(wasm).toEqual(cpu);
  });
});
