import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as TF from '@tensorflow/tfjs-core';

/**
 * GPU check for a CUDA machine without network (run by test/bench/gpu-check.sh): tfjs-node-gpu
 * needs libtensorflow downloaded at install time, so this tries the one GPU path that installs
 * from npm alone: @tensorflow/tfjs-backend-webgpu on Dawn's Node binding (the `webgpu` package,
 * which ships dawn.node in its tarball) over the NVIDIA Vulkan driver. Prints what works, the
 * webgpu-vs-cpu gradient check and the bench's figures, then one JSON line.
 */
type Tf = typeof TF;

interface GpuAdapterLike {
  features: Set<string>;
  info?: Record<string, unknown>;
}

async function installWebGpuGlobals(): Promise<GpuAdapterLike | null> {
  const entry = pathToFileURL(require.resolve('webgpu')).href;
  const { create, globals } = (await import(entry)) as { create: (flags: string[]) => { requestAdapter(o?: object): Promise<GpuAdapterLike | null> }; globals: object };
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  // tfjs-backend-webgpu 4.22 requests 'bgra8unorm-storage' wrapped in an array, which Dawn rejects;
  // no tensor op needs it, so the adapter is shown without that feature.
  const requestAdapter = async (options?: object) => {
    const real = await gpu.requestAdapter(options);
    if (real === null) return null;
    const features = new Set([...real.features].filter((f) => f !== 'bgra8unorm-storage'));
    return new Proxy(real, {
      get(target, key) {
        if (key === 'features') return features;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: { ...gpu, requestAdapter, getPreferredCanvasFormat: () => 'rgba8unorm' }, userAgent: 'node' }, configurable: true });
  return adapter;
}

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
      return tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.mul(tf.maxPool(tf.relu(tf.conv2d(a as TF.Tensor4D, b as TF.Tensor4D, 1, 'same')), 2, 2, 'valid'), g)))([x, w]);
    });
    // Asynchronous reads: WebGPU in Node has no OffscreenCanvas for the synchronous path.
    const values = await Promise.all(grads.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(grads);
    return values;
  };
  const cpu = await compute('cpu');
  const gpu = await compute('webgpu');
  return Math.max(...cpu.map((c, i) => relativeError(c, gpu[i])));
}

async function main(): Promise<void> {
  const result: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
  const print = (line: string) => process.stdout.write(line + '\n');
  let adapter: GpuAdapterLike | null = null;
  try {
    adapter = await installWebGpuGlobals();
    result.webgpu_adapter = adapter?.info ?? null;
    print(`webgpu adapter: ${adapter === null ? 'none (no Vulkan driver for this GPU?)' : JSON.stringify(adapter.info)}`);
  } catch (error) {
    result.webgpu_error = String(error);
    print(`webgpu: Dawn did not load: ${String(error)}`);
  }
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    result.tfjs_node_gpu = 'installed';
  } catch {
    result.tfjs_node_gpu = 'not installed (its install script must download libtensorflow)';
  }
  print(`tfjs-node-gpu: ${String(result.tfjs_node_gpu)}`);
  if (adapter !== null) {
    const tf = require('@tensorflow/tfjs-core') as Tf;
    require('@tensorflow/tfjs-backend-cpu');
    const { registerCardiganKernels } = require(path.join(__dirname, '..', '..', 'engine', 'kernels')) as typeof import('../../engine/kernels');
    registerCardiganKernels();
    require('@tensorflow/tfjs-backend-webgpu');
    try {
      const error = await gradientCheck(tf);
      result.webgpu_grad_rel_error_vs_cpu = error;
      print(`webgpu conv/relu/max-pool gradients vs cpu: relative error ${error.toExponential(2)}`);
      const bench = require('./gpu-figures') as typeof import('./gpu-figures');
      Object.assign(result, await bench.figures(tf, print));
    } catch (error) {
      result.webgpu_run_error = String(error instanceof Error ? (error.stack ?? error.message) : error);
      print(`webgpu run failed: ${String(result.webgpu_run_error)}`);
    }
  }
  print(`RESULT ${JSON.stringify(result)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
