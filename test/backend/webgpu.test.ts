import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { initBackend } from '../../engine/compute/backend';
import { CANDIDATES, webgpuCandidate } from '../../engine/compute/backend-candidates';
import { UserError } from '../../engine/errors';
import { batchNormTraining } from '../../engine/compute/kernels/batch-norm';
import { GPU_DEVICE_NODES, type GpuBufferLike, gpuDeviceVisible } from '../../engine/compute/webgpu/dawn';
import { NO_ADAPTER, startWebGpu } from '../../engine/compute/webgpu/start';
import { isWebGpuBackend, waitForMap } from '../../engine/compute/webgpu/sync-read';
import { onBackend, relativeError, seeded } from './compare-backends';
import { NO_DRIVER, SWIFTSHADER, withVulkanDriver } from './vulkan-driver';
import { describeWith } from '../rig/tools/presence';

const quiet = { log: () => undefined };

describe('the webgpu candidate', () => {
  it('comes right after tfjs-node-gpu in the order auto tries', () => {
    expect(CANDIDATES.map((candidate) => candidate.kind)).toEqual(['gpu', 'webgpu', 'node', 'wasm', 'cpu']);
  });

  it('is skipped by auto at once where no GPU device exists, without loading Dawn', async () => {
    const candidate = webgpuCandidate((options) =>
      startWebGpu({
        ...options,
        deviceVisible: () => false,
        dawn: () => {
          throw new Error('Dawn was loaded');
        },
      }),
    );
    expect(await candidate.start({ explicit: false })).toEqual({ ok: false, error: `no GPU device (${GPU_DEVICE_NODES})` });
  });

  it('names the packages that are missing', async () => {
    const candidate = webgpuCandidate(startWebGpu, () => false);
    expect(await candidate.start({ explicit: true })).toEqual({ ok: false, error: 'webgpu and @tensorflow/tfjs-backend-webgpu are not installed' });
  });

  it('recognises the device nodes of NVIDIA, DRM (Intel, AMD), AMD compute and WSL GPUs on Linux', () => {
    const dev = (...files: string[]) => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'cardigan-dev-'));
      for (const file of files) {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), '');
      }
      return root;
    };
    expect(gpuDeviceVisible(dev('nvidia0', 'nvidiactl'), 'linux')).toBe(true);
    expect(gpuDeviceVisible(dev('dri/renderD128', 'dri/card0'), 'linux')).toBe(true);
    expect(gpuDeviceVisible(dev('kfd'), 'linux')).toBe(true);
    expect(gpuDeviceVisible(dev('dxg'), 'linux')).toBe(true);
    expect(gpuDeviceVisible(dev('nvidiactl', 'nvidia-uvm', 'dri/card0', 'null'), 'linux')).toBe(false);
    expect(gpuDeviceVisible(dev(), 'darwin')).toBe(true);
  });
});

describe('Dawn without a Vulkan driver', () => {
  it('auto skips webgpu with the reason, when a GPU device exists but Dawn finds no adapter', async () => {
    const result = await withVulkanDriver(NO_DRIVER, () => startWebGpu({ allowSoftware: false, requireDeviceNode: true, deviceVisible: () => true }));
    expect(result).toEqual({ ok: false, error: NO_ADAPTER });
  });

  it('makes an explicit --backend webgpu a UserError that says what is missing and what to install', async () => {
    const attempt = withVulkanDriver(NO_DRIVER, () => initBackend('webgpu', quiet));
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(
      /^backend "webgpu" is unavailable: Dawn found no GPU adapter \(is the GPU's Vulkan driver installed\?\)\.\nTo use it: install the GPU's Vulkan driver \(on a CUDA machine: the NVIDIA driver's Vulkan ICD with libvulkan1 and libglvnd0, see README\.md, "Compute backends"\) and the optional dependencies webgpu@0\.6\.2 and @tensorflow\/tfjs-backend-webgpu@4\.22\.0/,
    );
  });
});

describe('synchronous reads', () => {
  it('give up with a clear error when the GPU never hands the buffer back', () => {
    const stuck: GpuBufferLike = {
      size: 4,
      mapState: 'pending',
      mapAsync: () => new Promise(() => undefined),
      getMappedRange: () => new ArrayBuffer(4),
      unmap: () => undefined,
      destroy: () => undefined,
    };
    let polls = 0;
    expect(() => waitForMap(stuck, () => polls++, 20)).toThrow('webgpu: the GPU did not hand a tensor back within 0.02 s (reading it synchronously)');
    expect(polls).toBeGreaterThan(100);
  });
});

// Needs Debian's chromium package, which ships SwiftShader; skipped without it unless CARDIGAN_STRICT_TOOLS=1.
describeWith('vulkan')('on SwiftShader, a software Vulkan driver standing in for a GPU', () => {
  it('auto refuses a software adapter (slower than wasm)', async () => {
    const result = await withVulkanDriver(SWIFTSHADER, () => startWebGpu({ allowSoftware: false, requireDeviceNode: true, deviceVisible: () => true }));
    expect(result).toEqual({
      ok: false,
      error: "Dawn's only adapter is a software renderer (SwiftShader driver 5.0.0), slower than wasm; ask for it with --backend webgpu",
    });
  });

  it('--backend webgpu starts tfjs-backend-webgpu on it, with synchronous reads', async () => {
    const lines: string[] = [];
    const info = await withVulkanDriver(SWIFTSHADER, () => initBackend('webgpu', { log: (line) => lines.push(line) }));
    expect(info).toMatchObject({ name: 'webgpu', kind: 'webgpu', requested: 'webgpu', skipped: [] });
    expect(lines).toEqual(['backend: webgpu (WebGPU on Dawn: SwiftShader driver 5.0.0 (software))']);
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('reads computed tensors synchronously: the same values as asynchronous reads and as cpu', async () => {
    await initBackend('webgpu', quiet);
    const compute = () => {
      const x = seeded([2, 16, 16, 3], 1) as tf.Tensor4D;
      const y = tf.relu(tf.conv2d(x, seeded([3, 3, 3, 5], 2) as tf.Tensor4D, 1, 'same'));
      return { y, classes: tf.argMax(y, 3), sums: tf.sum(y, [1, 2]) };
    };
    const gpu = compute();
    const backend = tf.backend();
    if (!isWebGpuBackend(backend)) throw new Error('not the webgpu backend');
    // The results exist on the GPU only, their work still queued: dataSync submits it and waits.
    expect([gpu.y, gpu.classes, gpu.sums].map((t) => backend.tensorMap.get(t.dataId).values ?? null)).toEqual([null, null, null]);
    const synchronous = gpu.y.dataSync() as Float32Array;
    const again = tf.tidy(() => compute().y);
    const asynchronous = (await again.data()) as Float32Array;
    const classes = gpu.classes.dataSync();
    const sums = gpu.sums.arraySync() as number[][];
    expect(classes).toBeInstanceOf(Int32Array);
    expect(gpu.y.dataSync()).toBe(synchronous); // cached on the CPU after the first read
    expect(synchronous).toEqual(asynchronous);

    await tf.setBackend('cpu');
    const cpu = compute();
    expect(relativeError(cpu.y.dataSync() as Float32Array, synchronous)).toBeLessThan(1e-5);
    expect(Array.from(classes)).toEqual(Array.from(cpu.classes.dataSync()));
    expect(sums).toHaveLength(2);
    expect(relativeError(Float32Array.from((cpu.sums.arraySync() as number[][]).flat()), Float32Array.from(sums.flat()))).toBeLessThan(1e-5);
    tf.dispose([gpu.y, gpu.classes, gpu.sums, again, cpu.y, cpu.classes, cpu.sums]);
  });

  it('sums more inputs than a shader has storage buffers for (AddN of 20 tensors, a weight reached through 12 paths)', async () => {
    await initBackend('webgpu', quiet);
    const step = () => {
      const sum = tf.addN(Array.from({ length: 20 }, (_, k) => seeded([3, 5], 10 + k)));
      // Each use of w adds a term to its gradient: tfjs sums them with one AddN of 12 inputs.
      const grad = tf.grad((w: tf.Tensor) => tf.addN(Array.from({ length: 12 }, (_, k) => tf.sum(tf.mul(tf.sin(tf.mul(w, k + 1)), k + 1)))))(
        seeded([4, 4], 40),
      );
      return [sum, grad];
    };
    const cpu = await onBackend('cpu', step);
    const gpu = await onBackend('webgpu', step);
    expect(relativeError(cpu[0], gpu[0])).toBeLessThan(1e-5);
    expect(relativeError(cpu[1], gpu[1])).toBeLessThan(1e-4);
  });

  it("gives the U-Net's gradients as cpu does (conv, ReLU + batch norm, pooling, upsampling, concat, cross-entropy)", async () => {
    await initBackend('webgpu', quiet);
    const step = () => {
      const x = seeded([2, 8, 8, 2], 3) as tf.Tensor4D;
      const w1 = seeded([3, 3, 2, 4], 4) as tf.Tensor4D;
      const w2 = seeded([3, 3, 8, 3], 5) as tf.Tensor4D;
      const gamma = tf.add(seeded([4], 6), 1) as tf.Tensor1D;
      const beta = seeded([4], 7) as tf.Tensor1D;
      const labels = tf.oneHot(tf.argMax(seeded([2, 8, 8, 3], 8), 3), 3);
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
        const skip = batchNormTraining(tf.conv2d(x, a as tf.Tensor4D, 1, 'same'), b as tf.Tensor1D, beta, { relu: true }).y as tf.Tensor4D;
        const up = tf.image.resizeNearestNeighbor(tf.maxPool(skip, 2, 2, 'valid'), [8, 8]);
        const logits = tf.conv2d(tf.concat([up, skip], 3), c as tf.Tensor4D, 1, 'same');
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      };
      const { value, grads } = tf.valueAndGrads(loss)([w1, gamma, w2]);
      return [value, ...grads];
    };
    const cpu = await onBackend('cpu', step);
    const gpu = await onBackend('webgpu', step);
    cpu.forEach((reference, i) => expect(relativeError(reference, gpu[i])).toBeLessThan(1e-4));
  });

  it('switches back to the webgpu backend it started earlier', async () => {
    await initBackend('cpu', quiet);
    const info = await initBackend('webgpu', quiet);
    expect(info.detail).toBe('WebGPU on Dawn: SwiftShader driver 5.0.0 (software)');
    expect(tf.getBackend()).toBe('webgpu');
  });
});
