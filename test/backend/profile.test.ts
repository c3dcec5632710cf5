import * as tf from '@tensorflow/tfjs-core';
import { kernelTable, meterTransfers, profileStep } from '../../engine/compute/profile';
import { onBackend } from './compare-backends';

describe('kernel table', () => {
  it('sums real kernels by name, largest first, and leaves composite-op records out (their time holds their kernels)', () => {
    const records = [
      { name: 'Conv2D', kernelTimeMs: 3 },
      { name: 'unnamed scope', kernelTimeMs: 10 },
      { name: 'Add', kernelTimeMs: 1 },
      { name: 'Conv2D', kernelTimeMs: 2 },
      { name: 'Add', kernelTimeMs: 0.5 },
    ];
    const table = kernelTable(records, (name) => name !== 'unnamed scope');
    expect(table).toEqual({
      rows: [
        { kernel: 'Conv2D', calls: 2, ms: 5, share: 5 / 6.5 },
        { kernel: 'Add', calls: 2, ms: 1.5, share: 1.5 / 6.5 },
      ],
      calls: 4,
      kernelMs: 6.5,
      timed: true,
    });
  });

  it('groups by kernel and input shapes when asked (which layer costs what)', () => {
    const records = [
      {
        name: 'Conv2D',
        kernelTimeMs: 3,
        inputShapes: [
          [8, 8, 8, 32],
          [1, 1, 32, 128],
        ],
      },
      {
        name: 'Conv2D',
        kernelTimeMs: 1,
        inputShapes: [
          [8, 16, 16, 16],
          [3, 3, 16, 16],
        ],
      },
      {
        name: 'Conv2D',
        kernelTimeMs: 2,
        inputShapes: [
          [8, 8, 8, 32],
          [1, 1, 32, 128],
        ],
      },
    ];
    expect(kernelTable(records, () => true, 'shape').rows.map((r) => [r.kernel, r.calls, r.ms])).toEqual([
      ['Conv2D [8,8,8,32] [1,1,32,128]', 2, 5],
      ['Conv2D [8,16,16,16] [3,3,16,16]', 1, 1],
    ]);
  });

  it('says when the backend timed nothing (webgpu without timestamp queries) instead of reporting zeros', () => {
    const table = kernelTable(
      [
        { name: 'Add', kernelTimeMs: 0 },
        { name: 'Mul', kernelTimeMs: { error: 'no timer' } },
        { name: 'Add', kernelTimeMs: 0 },
      ],
      () => true,
    );
    expect(table).toEqual({
      rows: [
        { kernel: 'Add', calls: 2, ms: null, share: null },
        { kernel: 'Mul', calls: 1, ms: null, share: null },
      ],
      calls: 3,
      kernelMs: null,
      timed: false,
    });
  });
});

describe.each(['cpu', 'wasm'] as const)('transfers and step profile on %s', (backend) => {
  beforeAll(() => onBackend(backend, () => []));

  it('counts uploads, synchronous and asynchronous reads with their bytes, and stops counting when stopped', async () => {
    const meter = meterTransfers(tf.engine(), tf.backend());
    const x = tf.tensor1d([1, 2, 3, 4]);
    const y = tf.tensor2d([1, 2], [1, 2], 'int32');
    x.dataSync();
    await y.data();
    const counts = meter.stop();
    tf.tensor1d([5]).dataSync();
    expect(counts.uploads).toMatchObject({ count: 2, bytes: 16 + 8 });
    expect(counts.syncReads).toMatchObject({ count: 1, bytes: 16 });
    expect(counts.asyncReads).toMatchObject({ count: 1, bytes: 8 });
    expect(counts.uploads.ms).toBeGreaterThanOrEqual(0);
    expect(Object.hasOwn(tf.backend(), 'readSync')).toBe(false);
    expect(Object.hasOwn(tf.engine(), 'makeTensor')).toBe(false);
    tf.dispose([x, y]);
  });

  it('profiles a step: the kernels it runs, per step transfers, steady step times, no tensor left behind', async () => {
    const w = tf.randomNormal([64, 64], 0, 1, 'float32', 1);
    const step = async () => {
      const out = tf.tidy(() => tf.relu(tf.matMul(tf.tensor2d(new Float32Array(32 * 64).fill(0.5), [32, 64]), w)));
      out.dataSync();
      out.dispose();
    };
    const before = tf.memory().numTensors;
    const profile = await profileStep(step, { steps: 3, profiled: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(profile.backend).toBe(backend);
    expect(profile.stepMs).toHaveLength(3);
    expect(profile.profiled.rows.map((r) => [r.kernel, r.calls]).sort()).toEqual([
      ['BatchMatMul', 1],
      ['Relu', 1],
    ]);
    const times = profile.profiled.rows.map((r) => r.ms ?? -1);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(profile.profiled.calls).toBe(2);
    expect(profile.profiled.steps).toBe(2);
    expect(profile.profiled.timed).toBe(true);
    expect(profile.perStep.uploads).toMatchObject({ count: 1, bytes: 32 * 64 * 4 });
    expect(profile.perStep.syncReads).toMatchObject({ count: 1, bytes: 32 * 64 * 4 });
    expect(profile.pipelinesCompiled).toBeNull();
    w.dispose();
  });
});
