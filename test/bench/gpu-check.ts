import type * as TF from '@tensorflow/tfjs-core';
import { type BackendInfo, initBackend } from '../../engine/compute/backend';
import { firstErrorLine } from '../../engine/errors';
import { type TrainingRun, type TrainingShape, trainThroughCardigan } from './gpu-train';

/**
 * GPU check for a CUDA machine without network (run by test/bench/gpu-check.sh). tfjs-node-gpu
 * needs libtensorflow downloaded at install time, so this checks cardigan's `webgpu` backend
 * (tfjs-backend-webgpu on Dawn's Node binding over the NVIDIA Vulkan driver), started as
 * `--backend webgpu` starts it: gradients against the cpu backend, synchronous reads, the backend
 * bench's conv and U-Net figures, then a few epochs of the train-unet node on webgpu and on wasm
 * for a same-run ratio. Prints one JSON line at the end (RESULT ...).
 *
 * `--quick` uses tiny shapes (a rehearsal on a software Vulkan driver such as SwiftShader).
 */
type Tf = typeof TF;

const FULL: TrainingShape = { size: 128, batch: 8, trainItems: 24, valItems: 8, epochs: 3, initChannels: 32 };
const QUICK: TrainingShape = { size: 32, batch: 2, trainItems: 4, valItems: 2, epochs: 2, initChannels: 4 };

function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return diff / (scale || 1);
}

async function gradientCheck(tf: Tf): Promise<number> {
  const compute = async (backend: string) => {
    await tf.setBackend(backend);
    const grads = tf.tidy(() => {
      const x = tf.randomNormal([2, 16, 16, 8], 0, 1, 'float32', 1) as TF.Tensor4D;
      const w = tf.randomNormal([3, 3, 8, 4], 0, 1, 'float32', 2) as TF.Tensor4D;
      const g = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 3);
      return tf.grads((a: TF.Tensor, b: TF.Tensor) =>
        tf.sum(tf.mul(tf.maxPool(tf.relu(tf.conv2d(a as TF.Tensor4D, b as TF.Tensor4D, 1, 'same')), 2, 2, 'valid'), g)),
      )([x, w]);
    });
    const values = await Promise.all(grads.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(grads);
    return values;
  };
  const cpu = await compute('cpu');
  const gpu = await compute('webgpu');
  return Math.max(...cpu.map((c, i) => relativeError(c, gpu[i])));
}

/** dataSync of a result still queued on the GPU against an asynchronous read of the same computation. */
async function synchronousReadCheck(tf: Tf): Promise<number> {
  const compute = () =>
    tf.tidy(() =>
      tf.relu(
        tf.conv2d(
          tf.randomNormal([4, 64, 64, 16], 0, 1, 'float32', 4) as TF.Tensor4D,
          tf.randomNormal([3, 3, 16, 16], 0, 1, 'float32', 5) as TF.Tensor4D,
          1,
          'same',
        ),
      ),
    );
  const a = compute();
  const b = compute();
  const synchronous = a.dataSync() as Float32Array;
  const asynchronous = (await b.data()) as Float32Array;
  tf.dispose([a, b]);
  return relativeError(asynchronous, synchronous);
}

function steadyImagesPerSecond(run: TrainingRun): number {
  return run.epochs[run.epochs.length - 1].imagesPerSecond;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const shape = quick ? QUICK : FULL;
  const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, quick };
  const print = (line: string) => process.stdout.write(line + '\n');
  const finish = () => print(`RESULT ${JSON.stringify(result)}`);
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    result.tfjs_node_gpu = 'installed';
  } catch {
    result.tfjs_node_gpu = 'not installed (its install script must download libtensorflow)';
  }
  print(`tfjs-node-gpu: ${String(result.tfjs_node_gpu)}`);

  // The reference for the gradient check; loaded before any backend starts, so that cardigan's
  // corrections to its kernels (registered as a backend starts) are not overwritten.
  require('@tensorflow/tfjs-backend-cpu');
  let webgpu: BackendInfo;
  try {
    webgpu = await initBackend('webgpu', { log: print });
  } catch (error) {
    result.webgpu_error = error instanceof Error ? error.message : String(error);
    print(`webgpu: ${String(result.webgpu_error)}`);
    finish();
    return;
  }
  result.webgpu = webgpu.detail;
  const tf = require('@tensorflow/tfjs-core') as Tf;
  try {
    result.webgpu_grad_rel_error_vs_cpu = await gradientCheck(tf);
    print(`webgpu conv/relu/max-pool gradients vs cpu: relative error ${(result.webgpu_grad_rel_error_vs_cpu as number).toExponential(2)}`);
    result.webgpu_sync_read_rel_error = await synchronousReadCheck(tf);
    print(`webgpu dataSync vs await data(): relative error ${(result.webgpu_sync_read_rel_error as number).toExponential(2)}`);
    if (!quick) {
      const bench = require('./gpu-figures') as typeof import('./gpu-figures');
      Object.assign(result, await bench.figures(tf, print));
    }
  } catch (error) {
    result.webgpu_run_error = String(error instanceof Error ? (error.stack ?? error.message) : error);
    print(`webgpu run failed: ${String(result.webgpu_run_error)}`);
  }

  const runs: Partial<Record<'webgpu' | 'wasm', TrainingRun>> = {};
  for (const kind of ['webgpu', 'wasm'] as const) {
    print(`== cardigan training on ${kind}: ${shape.trainItems} images ${shape.size}×${shape.size}, batch ${shape.batch}, ${shape.epochs} epochs`);
    try {
      const info = await initBackend(kind, { log: print });
      const run = await trainThroughCardigan(info, shape, print);
      runs[kind] = run;
      result[`train_${kind}`] = run;
      print(`  (${run.source})`);
    } catch (error) {
      result[`train_${kind}_error`] = String(error instanceof Error ? (error.stack ?? error.message) : error);
      print(`  training on ${kind} failed: ${firstErrorLine(error)}`);
    }
  }
  if (runs.webgpu !== undefined && runs.wasm !== undefined) {
    const ratio = steadyImagesPerSecond(runs.webgpu) / steadyImagesPerSecond(runs.wasm);
    result.train_webgpu_over_wasm = ratio;
    print(
      `cardigan training, last epoch: webgpu ${steadyImagesPerSecond(runs.webgpu).toFixed(2)} images/s, wasm ${steadyImagesPerSecond(runs.wasm).toFixed(2)} images/s: ${ratio.toFixed(1)}×`,
    );
  }
  finish();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
