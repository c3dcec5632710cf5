import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../engine/compute/backend';
import { type FilterGradMethod, forceFilterGradMethod } from '../../engine/compute/kernels/wasm/conv2d-backprop-filter';
import { stockConv2dBackpropInput } from '../../engine/compute/kernels/wasm/conv2d-backprop-input';
import { type BenchOptions, type BenchResult, type BenchSuite, medianMs, round } from './suite';

/** U-Net's 3×3 layers at batch 8 (128×128 input), plus ENet/SPADE-like stride-2 and wide cases. */
const LAYERS: Array<[number, number, number, number]> = [
  [8, 128, 1, 32],
  [8, 128, 32, 32],
  [8, 64, 32, 64],
  [8, 32, 64, 128],
  [8, 16, 128, 128],
  [8, 8, 128, 128],
  [8, 4, 128, 128],
];

async function time(f: () => tf.Tensor, repeats: number): Promise<number> {
  return medianMs(async () => {
    const out = f();
    await out.data();
    out.dispose();
  }, repeats);
}

export const suite: BenchSuite = {
  name: 'kernels',
  summary: 'wasm conv kernels per U-Net layer: forward, both filter-gradient formulations, stock vs sub-pixel input gradient',
  async run({ quick, log }: BenchOptions): Promise<BenchResult> {
    await initBackend('wasm', { log });
    const repeats = quick ? 1 : 3;
    const rows: Array<[string, string, string]> = [];
    const layers: Record<string, unknown>[] = [];
    for (const [n, size, cin, cout] of LAYERS) {
      const x = tf.randomNormal([n, size, size, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, cin, cout], 0, 1, 'float32', 2) as tf.Tensor4D;
      const dy = tf.randomNormal([n, size, size, cout], 0, 1, 'float32', 3) as tf.Tensor4D;
      const gflops = (ms: number) => round((2 * n * size * size * 9 * cin * cout) / ms / 1e6, 1);
      const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, cin, cout] };
      const filterGrad = async (method: FilterGradMethod) => {
        forceFilterGradMethod(method);
        const ms = await time(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor, repeats);
        forceFilterGradMethod(undefined);
        return ms;
      };
      const stock = stockConv2dBackpropInput();
      const inputAttrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', inputShape: x.shape };
      const entry = {
        layer: `${n}x${size}x${size} ${cin}->${cout}`,
        forward_gflops: gflops(await time(() => tf.conv2d(x, w, 1, 'same'), repeats)),
        filter_grad_convolution_gflops: gflops(await filterGrad('convolution')),
        filter_grad_matmul_gflops: gflops(await filterGrad('matmul')),
        input_grad_subpixel_gflops: gflops(await time(() => tf.conv2dTranspose(dy, w, x.shape, 1, 'same'), repeats)),
        input_grad_stock_gflops:
          stock === undefined
            ? null
            : gflops(
                await time(
                  () =>
                    tf
                      .engine()
                      .makeTensorFromTensorInfo(stock.kernelFunc({ inputs: { dy, filter: w }, backend: tf.backend(), attrs: inputAttrs }) as tf.TensorInfo),
                  1,
                ),
              ),
      };
      layers.push(entry);
      log(`  ${JSON.stringify(entry)}`);
      rows.push([
        entry.layer,
        `fwd ${entry.forward_gflops} | dW conv ${entry.filter_grad_convolution_gflops} matmul ${entry.filter_grad_matmul_gflops} | dX sub-pixel ${entry.input_grad_subpixel_gflops} stock ${entry.input_grad_stock_gflops}`,
        'GFLOP/s',
      ]);
      tf.dispose([x, w, dy]);
    }
    return { rows, json: { kernel_layers: layers } };
  },
};
