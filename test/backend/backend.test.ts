import * as tf from '@tensorflow/tfjs-core';
import { backendChoiceFrom, initBackend } from '../../engine/compute/backend';
import { tensorflowCandidate } from '../../engine/compute/backend-candidates';
import { UserError } from '../../engine/errors';
import { GPU_DEVICE_NODES } from '../../engine/compute/webgpu/dawn';

describe('backend choice', () => {
  it('accepts the six names and suggests the closest for a typo, in the words of every other option', () => {
    expect(backendChoiceFrom('wasm')).toBe('wasm');
    expect(() => backendChoiceFrom('wsam')).toThrow(
      new UserError('--backend must be one of auto, gpu, webgpu, node, wasm, cpu, got "wsam" — did you mean "wasm"?'),
    );
  });

  it('takes the flag over CARDIGAN_BACKEND over auto', () => {
    expect(backendChoiceFrom('cpu', { CARDIGAN_BACKEND: 'wasm' })).toBe('cpu');
    expect(backendChoiceFrom(undefined, { CARDIGAN_BACKEND: 'wasm' })).toBe('wasm');
    expect(backendChoiceFrom(undefined, {})).toBe('auto');
    expect(backendChoiceFrom(undefined, { CARDIGAN_BACKEND: '' })).toBe('auto');
  });

  it('names the environment variable when its value is wrong', () => {
    expect(() => backendChoiceFrom(undefined, { CARDIGAN_BACKEND: 'gpus' })).toThrow(UserError);
    expect(() => backendChoiceFrom(undefined, { CARDIGAN_BACKEND: 'gpus' })).toThrow(
      /^CARDIGAN_BACKEND must be one of auto, .*, got "gpus" — did you mean "gpu"\?$/,
    );
  });
});

describe('initBackend', () => {
  it('auto skips the absent TensorFlow packages and webgpu (no GPU here) with one line each and starts wasm', async () => {
    const lines: string[] = [];
    const info = await initBackend('auto', { log: (line) => lines.push(line) });
    expect(info).toMatchObject({ name: 'wasm', kind: 'wasm', requested: 'auto' });
    expect(tf.getBackend()).toBe('wasm');
    expect(lines).toEqual([
      'backend: wasm (WebAssembly (XNNPACK), SIMD, 1 thread)',
      '  skipped gpu: @tensorflow/tfjs-node-gpu is not installed',
      `  skipped webgpu: no GPU device (${GPU_DEVICE_NODES})`,
      '  skipped node: @tensorflow/tfjs-node is not installed',
    ]);
  });

  it('prints once: asking again for the same choice returns the same answer silently', async () => {
    const lines: string[] = [];
    const first = await initBackend('auto', { log: (line) => lines.push(line) });
    const again = await initBackend('auto', { log: (line) => lines.push(line) });
    expect(again).toBe(first);
    expect(lines).toEqual([]);
  });

  it('gives a clear error naming what to install when gpu is asked for and absent', async () => {
    const attempt = initBackend('gpu', { log: () => undefined });
    await expect(attempt).rejects.toThrow(UserError);
    await expect(attempt).rejects.toThrow(
      /^backend "gpu" is unavailable: @tensorflow\/tfjs-node-gpu is not installed\.\nTo use it: npm install @tensorflow\/tfjs-node-gpu@4\.22\.0 .*CUDA 11\.2 and cuDNN 8\.1/,
    );
  });

  it('switches to cpu when asked (tests compare backends in one process)', async () => {
    const info = await initBackend('cpu', { log: () => undefined });
    expect(info).toMatchObject({ name: 'cpu', kind: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(
      tf
        .grad((x) => tf.sum(tf.square(x)))(tf.tensor1d([3]))
        .dataSync()[0],
    ).toBe(6);
  });
});

describe('a TensorFlow package whose native library failed to download', () => {
  it('is skipped with the loader error as the reason', async () => {
    const candidate = tensorflowCandidate(
      'node',
      '@tensorflow/tfjs-node',
      'npm install it',
      () => 'x',
      () => {
        throw new Error("Cannot find module '/x/lib/napi-v8/tfjs_binding.node'\nRequire stack: ...");
      },
      () => true,
    );
    expect(await candidate.start({ explicit: false })).toEqual({
      ok: false,
      error: "@tensorflow/tfjs-node is installed but its native libtensorflow did not load (Cannot find module '/x/lib/napi-v8/tfjs_binding.node')",
    });
  });
});

describe('loading', () => {
  it('imports no tfjs until a backend is started (cardigan --help stays fast)', () => {
    jest.isolateModules(() => {
      for (const pkg of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-layers']) {
        jest.doMock(pkg, () => {
          throw new Error(`${pkg} loaded at import time`);
        });
      }
      expect(() => require('../../engine/compute/backend')).not.toThrow();
    });
  });
});
