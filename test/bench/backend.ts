import * as tf from '@tensorflow/tfjs-core';
import { backendChoiceFrom, initBackend } from '../../engine/backend';
import { BenchOptions, BenchResult, BenchSuite, medianMs, round } from './suite';
import { runTorchReference } from './torch';
import { createUNet, randomBatch } from './unet';

const CONV_FLOPS = 2 * 4 * 128 * 128 * 9 * 32 * 32;

async function convFigures(repeats: number): Promise<{ fwd: number; fwdbwd: number }> {
  const x = tf.randomNormal([4, 128, 128, 32], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 32], 0, 1, 'float32', 2) as tf.Tensor4D;
  const dy = tf.randomNormal([4, 128, 128, 32], 0, 1, 'float32', 3) as tf.Tensor4D;
  const run = (f: () => tf.Tensor[]) => async () => {
    const outs = tf.tidy(f);
    await Promise.all(outs.map((t) => t.data()));
    tf.dispose(outs);
  };
  const fwd = await medianMs(run(() => [tf.conv2d(x, w, 1, 'same')]), repeats);
  // Forward plus both gradients, the work of one training step's conv (PyTorch: y.backward(g)).
  const fwdbwd = await medianMs(
    run(() => [tf.conv2d(x, w, 1, 'same'), tf.conv2dTranspose(dy, w, x.shape, 1, 'same'), conv2dFilterGrad(x, dy)]),
    repeats,
  );
  tf.dispose([x, w, dy]);
  return { fwd: CONV_FLOPS / fwd / 1e6, fwdbwd: (3 * CONV_FLOPS) / fwdbwd / 1e6 };
}

function conv2dFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 32] }) as tf.Tensor;
}

interface UNetFigures {
  imagesPerS: number;
  tensorsBefore: number;
  tensorsAfter: number;
  steps: number;
}

async function unetFigures(size: number, steps: number, log: (line: string) => void): Promise<UNetFigures> {
  const batch = 8;
  const unet = createUNet();
  const { images, labels } = randomBatch(batch, size);
  const step = async () => {
    const loss = unet.step(images, labels);
    await loss.data();
    loss.dispose();
  };
  await step();
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
    log(`  unet ${size}: step ${i + 1}/${steps} ${(times[i] / 1000).toFixed(2)} s`);
  }
  const tensorsAfter = tf.memory().numTensors;
  times.sort((a, b) => a - b);
  tf.dispose([images, labels]);
  unet.dispose();
  return { imagesPerS: batch / (times[Math.floor(times.length / 2)] / 1000), tensorsBefore, tensorsAfter, steps };
}

/** Kernel time of one U-Net step by kernel name, largest first. */
async function profileStep(size: number): Promise<Array<{ kernel: string; ms: number; calls: number; share: number }>> {
  const unet = createUNet();
  const { images, labels } = randomBatch(8, size);
  unet.step(images, labels).dispose();
  const info = await tf.profile(() => unet.step(images, labels));
  const byName = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  for (const kernel of info.kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    const entry = byName.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byName.set(kernel.name, entry);
    total += ms;
  }
  tf.dispose([images, labels]);
  unet.dispose();
  return [...byName.entries()]
    .map(([kernel, { ms, calls }]) => ({ kernel, ms: round(ms, 1), calls, share: round(ms / total, 3) }))
    .sort((a, b) => b.ms - a.ms);
}

export const suite: BenchSuite = {
  name: 'backend',
  summary: 'conv 3×3 and U-Net training step on the chosen backend, against PyTorch with the same thread count',
  async run({ quick, log }: BenchOptions): Promise<BenchResult> {
    const unet128Steps = quick ? 2 : 20;
    const unet256Steps = quick ? 1 : 3;
    const convRepeats = quick ? 3 : 7;

    log('PyTorch reference (1 thread)...');
    const torch = runTorchReference(['--threads', '1', '--conv-repeats', String(convRepeats), '--unet128-steps', String(quick ? 2 : 5), '--unet256-steps', String(unet256Steps)]);

    const info = await initBackend(backendChoiceFrom(undefined), { log });
    log('conv 3×3 32→32 on 4×128×128...');
    const conv = await convFigures(convRepeats);
    log(`U-Net 128×128, batch 8, ${unet128Steps} steps...`);
    const unet128 = await unetFigures(128, unet128Steps, log);
    log('per-kernel profile of one U-Net 128 step...');
    const profile = await profileStep(128);
    log(`U-Net 256×256, batch 8, ${unet256Steps} steps...`);
    const unet256 = await unetFigures(256, unet256Steps, log);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;

    const ours: Record<string, number> = {
      conv_fwd_gflops: round(conv.fwd),
      conv_fwdbwd_gflops: round(conv.fwdbwd),
      unet128_train_images_per_s: round(unet128.imagesPerS, 3),
      unet256_train_images_per_s: round(unet256.imagesPerS, 3),
    };
    const ratios: Record<string, number> = {};
    if (torch.ok) {
      for (const [key, value] of Object.entries(ours)) {
        const reference = torch.figures[key];
        if (typeof reference === 'number' && reference > 0) ratios[key] = round(value / reference, 3);
      }
    }
    const json = {
      backend: info.kind,
      backend_detail: info.detail,
      ...ours,
      peak_rss_mb: Math.round(peakRssMb),
      unet128_tensors_before: unet128.tensorsBefore,
      unet128_tensors_after: unet128.tensorsAfter,
      unet128_leak_steps: unet128.steps,
      unet256_tensors_leaked: unet256.tensorsAfter - unet256.tensorsBefore,
      torch: torch.ok ? torch.figures : { unavailable: torch.reason },
      ratio_vs_torch: ratios,
      unet128_profile: profile.slice(0, 15),
    };
    const ratio = (key: string) => (ratios[key] === undefined ? '' : `  (${ratios[key]}× PyTorch)`);
    const rows: Array<[string, string, string]> = [
      ['backend', `${info.kind}: ${info.detail}`, ''],
      ['conv 3×3 32→32 4×128×128 forward', `${ours.conv_fwd_gflops}${ratio('conv_fwd_gflops')}`, 'GFLOP/s'],
      ['conv forward + backward', `${ours.conv_fwdbwd_gflops}${ratio('conv_fwdbwd_gflops')}`, 'GFLOP/s'],
      ['U-Net 128×128 batch 8 train step', `${ours.unet128_train_images_per_s}${ratio('unet128_train_images_per_s')}`, 'images/s'],
      ['U-Net 256×256 batch 8 train step', `${ours.unet256_train_images_per_s}${ratio('unet256_train_images_per_s')}`, 'images/s'],
      ['tensors before / after steps', `${unet128.tensorsBefore} / ${unet128.tensorsAfter} (${unet128.steps} steps)`, ''],
      ['peak RSS (whole bench)', String(Math.round(peakRssMb)), 'MB'],
      ['PyTorch', torch.ok ? `${torch.figures.torch_version}, ${torch.figures.threads} thread(s)` : torch.reason, ''],
      ...profile.slice(0, 10).map((p): [string, string, string] => [`  ${p.kernel} ×${p.calls}`, `${p.ms} ms (${Math.round(p.share * 100)}%)`, 'of one U-Net 128 step']),
    ];
    return { rows, json };
  },
};
