import * as tf from '@tensorflow/tfjs-core';
import { installLeanGradients, uninstallLeanGradients } from '../../engine/compute/kernels/lean-gradients';
import { onBackend } from './compare-backends';
import { enet, type Params, resetSeeds, spade, type StandIn, unet } from './stand-ins';

/** Loss, parameter gradients, and how many tensors computing them left behind. */
function measured(model: StandIn): () => tf.Tensor[] {
  return () => {
    resetSeeds();
    const params = model.params();
    const names = Object.keys(params);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.valueAndGrads((...values: tf.Tensor[]) => model.loss(Object.fromEntries(names.map((n, i) => [n, values[i]])) as Params))(
      names.map((n) => params[n]),
    );
    const leftover = tf.memory().numTensors - before - 1 - grads.length;
    return [value, ...grads, tf.scalar(leftover)];
  };
}

describe('lean gradients', () => {
  afterAll(() => installLeanGradients(tf));

  for (const [name, model] of Object.entries({ 'U-Net': unet, ENet: enet, SPADE: spade })) {
    it(`give exactly tfjs's gradients for the ${name} stand-in and leave no tensor behind`, async () => {
      uninstallLeanGradients(tf);
      const stock = await onBackend('wasm', measured(model));
      installLeanGradients(tf);
      const lean = await onBackend('wasm', measured(model));
      const n = stock.length - 1;
      for (let i = 0; i < n; i++) expect(Array.from(lean[i])).toEqual(Array.from(stock[i]));
      expect(lean[n][0]).toBe(0);
      expect(stock[n][0]).toBe(0);
    });
  }

  it('free memory as the backward pass walks the tape, where tfjs only accumulates', async () => {
    // Bytes held after each kernel of the backward pass of six conv + ReLU layers.
    const backwardBytes = () => {
      const x = tf.randomNormal([4, 32, 32, 8], 0, 1, 'float32', 1);
      const w = tf.randomNormal([3, 3, 8, 8], 0, 1, 'float32', 2) as tf.Tensor4D;
      const engine = tf.engine();
      const runKernel = engine.runKernel.bind(engine);
      const trace: number[] = [];
      let backward = false;
      engine.runKernel = (<T extends tf.Tensor | tf.Tensor[]>(...args: Parameters<typeof runKernel>): T => {
        const out = runKernel<T>(...args);
        if (backward) trace.push(tf.memory().numBytes);
        if (args[0] === 'Sum') backward = true;
        return out;
      }) as typeof engine.runKernel;
      try {
        const grads = tf.grads((a: tf.Tensor) => {
          let h = a as tf.Tensor4D;
          for (let i = 0; i < 6; i++) h = tf.relu(tf.conv2d(h, w, 1, 'same'));
          return tf.sum(h);
        })([x]);
        tf.dispose([x, w, ...grads]);
      } finally {
        engine.runKernel = runKernel;
      }
      return trace;
    };
    await onBackend('wasm', () => tf.scalar(0));
    uninstallLeanGradients(tf);
    const stock = backwardBytes();
    installLeanGradients(tf);
    const lean = backwardBytes();
    expect(stock[stock.length - 1]).toBeGreaterThan(stock[0]);
    expect(lean[lean.length - 1]).toBeLessThan(0.5 * lean[0]);
    expect(Math.max(...lean)).toBeLessThan(0.7 * Math.max(...stock));
  });

  it('leave higher-order gradients to tfjs (the outer tape still needs the inner tensors)', async () => {
    installLeanGradients(tf);
    const [second] = await onBackend('cpu', () => tf.grad((x) => tf.sum(tf.grad((y) => tf.sum(tf.pow(y, 3)))(x)))(tf.tensor1d([2, 3])));
    expect(Array.from(second)).toEqual([12, 18]);
  });

  it('never free a dy passed in by the caller', async () => {
    installLeanGradients(tf);
    await onBackend('cpu', () => {
      const dy = tf.tensor1d([1, 2]);
      const g = tf.grad((x) => tf.mul(x, 3))(tf.tensor1d([5, 6]), dy);
      expect(dy.isDisposed).toBe(false);
      return [g, dy];
    });
  });
});
