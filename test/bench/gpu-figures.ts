import type * as TF from '@tensorflow/tfjs-core';
import { createUNet, randomBatch } from './unet';

type Tf = typeof TF;

/** The backend bench's conv and U-Net figures on the current (GPU) backend, synchronising by reading results back. */
export async function figures(tf: Tf, print: (line: string) => void): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const time = async (f: () => TF.Tensor[], repeats: number) => {
    const once = async () => {
      const ts = tf.tidy(f);
      await Promise.all(ts.map((t) => t.data()));
      tf.dispose(ts);
    };
    await once();
    await once();
    const start = performance.now();
    for (let i = 0; i < repeats; i++) await once();
    return (performance.now() - start) / repeats;
  };
  const flops = 2 * 4 * 128 * 128 * 9 * 32 * 32;
  const x = tf.randomNormal([4, 128, 128, 32]) as TF.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 32]) as TF.Tensor4D;
  const dy = tf.randomNormal([4, 128, 128, 32]) as TF.Tensor4D;
  const fwd = await time(() => [tf.conv2d(x, w, 1, 'same')], 10);
  const both = await time(
    () => [
      tf.conv2d(x, w, 1, 'same'),
      tf.conv2dTranspose(dy, w, x.shape, 1, 'same'),
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 32] }) as TF.Tensor,
    ],
    10,
  );
  tf.dispose([x, w, dy]);
  out.conv_fwd_gflops = flops / fwd / 1e6;
  out.conv_fwdbwd_gflops = (3 * flops) / both / 1e6;
  print(`conv 3×3 32→32 4×128×128: forward ${out.conv_fwd_gflops.toFixed(1)} GFLOP/s, forward+backward ${out.conv_fwdbwd_gflops.toFixed(1)} GFLOP/s`);
  for (const size of [128, 256]) {
    const unet = createUNet();
    const { images, labels } = randomBatch(8, size);
    const step = async () => {
      const loss = unet.step(images, labels);
      await loss.data();
      loss.dispose();
    };
    const warm = performance.now();
    await step();
    await step();
    const before = tf.memory().numTensors;
    const steps = 5;
    const start = performance.now();
    for (let i = 0; i < steps; i++) await step();
    const ms = (performance.now() - start) / steps;
    out[`unet${size}_train_images_per_s`] = 8 / (ms / 1000);
    out[`unet${size}_tensors_leaked`] = tf.memory().numTensors - before;
    print(
      `U-Net ${size}×${size} batch 8: ${(8 / (ms / 1000)).toFixed(1)} images/s (${ms.toFixed(0)} ms/step; first two steps ${(start - warm).toFixed(0)} ms)`,
    );
    tf.dispose([images, labels]);
    unet.dispose();
  }
  return out;
}
