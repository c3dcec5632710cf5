import * as tf from '@tensorflow/tfjs-core';
import { backendChoiceFrom, initBackend } from '../../engine/compute/backend';
import { type BenchOptions, type BenchResult, type BenchSuite, medianMs, round } from './suite';
import { runTorchReference } from './torch';
import { createUNet, randomBatch } from './unet';

const CONV_FLOPS = 2 * 4 * 128 * 128 * 9 * 32 * 32;

async function convFigures(repeats: number): Promise<Record<string, number>> {
  const x = tf.randomNormal([4, 128, 128, 32], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 32, 32], 0, 1, 'float32', 2) as tf.Tensor4D;
  const dy = tf.randomNormal([4, 128, 128, 32], 0, 1, 'float32', 3) as tf.Tensor4D;
  const run = (f: () => tf.Tensor[]) => async () => {
    const outs = tf.tidy(f);
    await Promise.all(outs.map((t) => t.data()));
    tf.dispose(outs);
  };
  const filterGrad = () =>
    tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 32, 32] }) as tf.Tensor;
  const fwd = await medianMs(
    run(() => [tf.conv2d(x, w, 1, 'same')]),
    repeats,
  );
  // Forward plus both gradients: the work of a training step's conv (PyTorch: y.backward(g)).
  const fwdbwd = await medianMs(
    run(() => [tf.conv2d(x, w, 1, 'same'), tf.conv2dTranspose(dy, w, x.shape, 1, 'same'), filterGrad()]),
    repeats,
  );
  tf.dispose([x, w, dy]);
  return { conv_fwd_gflops: CONV_FLOPS / fwd / 1e6, conv_fwdbwd_gflops: (3 * CONV_FLOPS) / fwdbwd / 1e6 };
}

interface UNetRun {
  imagesPerS: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

/** Median images/s over `steps` training steps at batch 8, after one untimed step; tensor counts around them. */
async function unetRun(size: number, steps: number, log: (line: string) => void): Promise<UNetRun> {
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
  }
  const tensorsAfter = tf.memory().numTensors;
  log(`  unet ${size}: steps ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s`);
  times.sort((a, b) => a - b);
  tf.dispose([images, labels]);
  unet.dispose();
  return { imagesPerS: batch / (times[Math.floor(times.length / 2)] / 1000), tensorsBefore, tensorsAfter };
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
    // Ops composed of kernels (e.g. fusedConv2d__op) appear next to their kernels; count kernels only.
    if (kernel.name.endsWith('__op')) continue;
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    const entry = byName.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byName.set(kernel.name, entry);
    total += ms;
  }
  tf.dispose([images, labels]);
  unet.dispose();
  return [...byName.entries()].map(([kernel, { ms, calls }]) => ({ kernel, ms: round(ms, 1), calls, share: round(ms / total, 3) })).sort((a, b) => b.ms - a.ms);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export const suite: BenchSuite = {
  name: 'backend',
  summary: 'conv 3×3 and U-Net training steps on the chosen backend, interleaved with PyTorch on the same thread count',
  async run({ quick, log }: BenchOptions): Promise<BenchResult> {
    const rounds = quick ? 1 : 3;
    const convRepeats = quick ? 3 : 7;
    const leakSteps = quick ? 2 : 20;
    const steps128 = quick ? 2 : 5;
    const steps256 = quick ? 1 : 3;
    const info = await initBackend(backendChoiceFrom(undefined), { log });

    // Each figure is measured in rounds of PyTorch then cardigan, back to back, so that both see the
    // same load on a shared machine; the ratio reported is the median of the rounds' ratios.
    const ours: Record<string, number[]> = {};
    const theirs: Record<string, number[]> = {};
    const ratios: Record<string, number[]> = {};
    let torchVersion = '';
    let torchUnavailable: string | undefined;
    const record = (mine: Record<string, number>, reference: Record<string, number | string> | undefined) => {
      for (const [key, value] of Object.entries(mine)) {
        (ours[key] ??= []).push(value);
        const r = reference?.[key];
        if (typeof r === 'number' && r > 0) {
          (theirs[key] ??= []).push(r);
          (ratios[key] ??= []).push(value / r);
        }
        log(
          `  ${key}: cardigan ${value.toFixed(3)}, PyTorch ${typeof r === 'number' ? r : '—'}${typeof r === 'number' && r > 0 ? `, ratio ${(value / r).toFixed(3)}` : ''}`,
        );
      }
    };
    const torch = (only: string, extra: string[]) => {
      if (torchUnavailable !== undefined) return undefined;
      const result = runTorchReference(['--threads', '1', '--only', only, ...extra]);
      if (!result.ok) {
        torchUnavailable = result.reason;
        return undefined;
      }
      torchVersion = String(result.figures.torch_version);
      return result.figures;
    };

    let leak: UNetRun | undefined;
    let last256: UNetRun | undefined;
    for (let round = 1; round <= rounds; round++) {
      log(`round ${round}/${rounds}: conv 3×3 32→32 on 4×128×128`);
      const torchConv = torch('conv', ['--conv-repeats', String(convRepeats)]);
      record(await convFigures(convRepeats), torchConv);
      log(`round ${round}/${rounds}: U-Net 128×128 batch 8`);
      const torch128 = torch('unet128', ['--unet128-steps', String(steps128)]);
      const run128 = await unetRun(128, round === 1 ? leakSteps : steps128, log);
      if (round === 1) leak = run128;
      record({ unet128_train_images_per_s: run128.imagesPerS }, torch128);
      log(`round ${round}/${rounds}: U-Net 256×256 batch 8`);
      const torch256 = torch('unet256', ['--unet256-steps', String(steps256)]);
      last256 = await unetRun(256, steps256, log);
      record({ unet256_train_images_per_s: last256.imagesPerS }, torch256);
    }
    log('per-kernel profile of one U-Net 128 step');
    const profile = await profileStep(128);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

    const figure = (values: Record<string, number[]>, key: string, digits: number) =>
      values[key] === undefined ? undefined : round(median(values[key]), digits);
    const keys: Array<[string, number]> = [
      ['conv_fwd_gflops', 2],
      ['conv_fwdbwd_gflops', 2],
      ['unet128_train_images_per_s', 3],
      ['unet256_train_images_per_s', 3],
    ];
    const json: Record<string, unknown> = { backend: info.kind, backend_detail: info.detail, rounds };
    for (const [key, digits] of keys) json[key] = figure(ours, key, digits);
    Object.assign(json, {
      peak_rss_mb: peakRssMb,
      unet128_tensors_before: leak?.tensorsBefore,
      unet128_tensors_after: leak?.tensorsAfter,
      unet128_leak_steps: leakSteps,
      unet256_tensors_leaked: last256 === undefined ? undefined : last256.tensorsAfter - last256.tensorsBefore,
      torch:
        torchUnavailable !== undefined
          ? { unavailable: torchUnavailable }
          : { torch_version: torchVersion, threads: 1, ...Object.fromEntries(keys.map(([key, digits]) => [key, figure(theirs, key, digits)])) },
      ratio_vs_torch: Object.fromEntries(keys.filter(([key]) => ratios[key] !== undefined).map(([key]) => [key, figure(ratios, key, 3)])),
      unet128_profile: profile.slice(0, 15),
    });

    const ratioNote = (key: string) => {
      const r = figure(ratios, key, 3);
      return r === undefined ? '' : `  (${r}× PyTorch's ${figure(theirs, key, 2)})`;
    };
    const rows: Array<[string, string, string]> = [
      ['backend', `${info.kind}: ${info.detail}`, ''],
      ['conv 3×3 32→32 4×128×128 forward', `${json.conv_fwd_gflops}${ratioNote('conv_fwd_gflops')}`, 'GFLOP/s'],
      ['conv forward + backward', `${json.conv_fwdbwd_gflops}${ratioNote('conv_fwdbwd_gflops')}`, 'GFLOP/s'],
      ['U-Net 128×128 batch 8 train step', `${json.unet128_train_images_per_s}${ratioNote('unet128_train_images_per_s')}`, 'images/s'],
      ['U-Net 256×256 batch 8 train step', `${json.unet256_train_images_per_s}${ratioNote('unet256_train_images_per_s')}`, 'images/s'],
      ['tensors before / after steps', `${leak?.tensorsBefore} / ${leak?.tensorsAfter} (${leakSteps} steps at 128)`, ''],
      ['peak RSS (whole bench, U-Net 256 included)', String(peakRssMb), 'MB'],
      ['PyTorch', torchUnavailable ?? `${torchVersion}, 1 thread, ${rounds} interleaved round(s)`, ''],
      ...profile
        .slice(0, 10)
        .map((p): [string, string, string] => [`  ${p.kernel} ×${p.calls}`, `${p.ms} ms (${Math.round(p.share * 100)}%)`, 'of one U-Net 128 step']),
    ];
    return { rows, json };
  },
};
