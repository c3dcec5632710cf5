import type * as TF from '@tensorflow/tfjs-core';
import { fail, firstErrorLine, ok, type Result } from '../../errors';
import { BUFFER_COPY_DST, BUFFER_MAP_READ, type GpuBufferLike, type GpuDeviceLike, MAP_MODE_READ } from './dawn';

/**
 * Synchronous reads (`dataSync`, `arraySync`, `bufferSync`, and kernels that read their inputs on
 * the CPU) for tfjs-backend-webgpu 4.22 in Node.
 *
 * tfjs reads a GPU buffer synchronously by copying it into an OffscreenCanvas's WebGPU texture and
 * reading the canvas back through a 2D context, which Node does not have ("OffscreenCanvas is not
 * defined"); no flag changes that path. WebGPU itself can only map a buffer asynchronously, and
 * Dawn's Node binding settles the map (and every other promise) from `wgpuInstanceProcessEvents`,
 * which it calls from a function it hands to the global `setImmediate` whenever an asynchronous
 * operation starts. Calling that function ourselves processes Dawn's events synchronously, so the
 * replacement `readSync` below copies the tensor's buffer into a mappable one, asks for the map,
 * and polls until Dawn reports it mapped.
 */

/** Processes Dawn's pending events (completes maps whose GPU work is done) and returns. */
export type ProcessDawnEvents = () => void;

/** The parts of tfjs-backend-webgpu's WebGPUBackend used here (all public in 4.22). */
export interface WebGpuBackendInternals {
  readonly device: GpuDeviceLike;
  readonly bufferManager: {
    acquireBuffer(size: number, usage: number): GpuBufferLike;
    releaseBuffer(buffer: GpuBufferLike): void;
  };
  readonly tensorMap: { get(dataId: object): WebGpuTensorData };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  readSync(dataId: object): TF.BackendValues;
}

interface WebGpuTensorData {
  values?: TF.BackendValues | null;
  dtype: TF.DataType;
  resource?: GpuBufferLike | object;
  complexTensorInfos?: { real: { dataId: object }; imag: { dataId: object } };
}

export function isWebGpuBackend(backend: unknown): backend is WebGpuBackendInternals {
  const candidate = backend as Partial<Record<keyof WebGpuBackendInternals, unknown>>;
  return (
    typeof backend === 'object' &&
    backend !== null &&
    typeof candidate.device === 'object' &&
    typeof candidate.bufferManager === 'object' &&
    typeof candidate.tensorMap === 'object' &&
    (['ensureCommandEncoderReady', 'endComputePassEncoder', 'submitQueue', 'readSync'] as const).every((name) => typeof candidate[name] === 'function')
  );
}

/**
 * Runs `start` (which must begin a Dawn asynchronous operation while none is in flight) and
 * returns the event-processing function Dawn passed to `setImmediate` for it. `realm` is the
 * global object Dawn's binding sees: the process's, which differs from `globalThis` under jest.
 */
export function captureProcessEvents(realm: typeof globalThis, start: () => void): ProcessDawnEvents | undefined {
  const original = realm.setImmediate;
  let captured: ProcessDawnEvents | undefined;
  // Dawn passes only the callback.
  const capture = (callback: () => void) => {
    captured ??= callback;
    return original(callback);
  };
  realm.setImmediate = Object.assign(capture, { __promisify__: original.__promisify__ }) as typeof setImmediate;
  try {
    start();
  } finally {
    realm.setImmediate = original;
  }
  return captured;
}

/** The global object of the realm a native function was created in (Dawn's, given one of its functions). */
export function realmOf(nativeFunction: (...args: never[]) => unknown): typeof globalThis {
  const RealmFunction = nativeFunction.constructor as FunctionConstructor;
  return RealmFunction('return globalThis')() as typeof globalThis;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Waits, synchronously, for `buffer.mapAsync` (already called) to finish: polls Dawn's events,
 * busily at first (a read after a small kernel is ready in microseconds), then every 50 µs, then
 * every millisecond (each poll also queues one more of Dawn's setImmediate callbacks).
 */
export function waitForMap(buffer: GpuBufferLike, processEvents: ProcessDawnEvents, timeoutMs: number): void {
  const started = performance.now();
  for (let polls = 0; buffer.mapState === 'pending'; polls++) {
    processEvents();
    if (buffer.mapState !== 'pending') break;
    if (polls > 100) Atomics.wait(sleeper, 0, 0, polls > 1000 ? 1 : 0.05);
    if (performance.now() - started > timeoutMs) {
      throw new Error(`webgpu: the GPU did not hand a tensor back within ${timeoutMs / 1000} s (reading it synchronously)`);
    }
  }
  if (buffer.mapState !== 'mapped') throw new Error('webgpu: reading a tensor back from the GPU failed (was the device lost?)');
}

/**
 * Replaces `backend.readSync` with one that works in Node, reading through `processEvents`.
 * Values are cached on the CPU as tfjs's own reads do.
 */
export function installSynchronousReads(tf: typeof TF, backend: WebGpuBackendInternals, processEvents: ProcessDawnEvents, timeoutMs = 300_000): void {
  const readBuffer = (buffer: GpuBufferLike): ArrayBuffer => {
    const staging = backend.bufferManager.acquireBuffer(buffer.size, BUFFER_COPY_DST | BUFFER_MAP_READ);
    // Submit the work recorded so far; the copy, submitted after it on the same queue, sees its results.
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.submitQueue();
    const encoder = backend.device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
    backend.device.queue.submit([encoder.finish()]);
    staging.mapAsync(MAP_MODE_READ).catch(() => undefined); // a failure shows as mapState 'unmapped'
    try {
      waitForMap(staging, processEvents, timeoutMs);
      return staging.getMappedRange().slice(0);
    } finally {
      if (staging.mapState === 'mapped') staging.unmap();
      backend.bufferManager.releaseBuffer(staging);
    }
  };

  const readSync = (dataId: object): TF.BackendValues => {
    const data = backend.tensorMap.get(dataId);
    if (data.values != null || data.dtype === 'string') return data.values as TF.BackendValues;
    let values: TF.BackendValues;
    if (data.dtype === 'complex64' && data.complexTensorInfos !== undefined) {
      const { real, imag } = data.complexTensorInfos;
      values = tf.backend_util.mergeRealAndImagArrays(readSync(real.dataId) as Float32Array, readSync(imag.dataId) as Float32Array);
    } else {
      if (!isBuffer(data.resource)) throw new Error(`webgpu: cannot read a ${data.dtype} tensor held in a texture synchronously; use await tensor.data()`);
      values = tf.util.convertBackendValuesAndArrayBuffer(readBuffer(data.resource), data.dtype);
    }
    data.values = values;
    return values;
  };
  backend.readSync = readSync;
}

/**
 * Makes `backend.readSync` work: captures Dawn's event-processing function by mapping a small probe
 * buffer (at start-up, when nothing else is in flight), checks that polling it completes the map,
 * and installs the replacement. Where that fails, synchronous reads fail with a clear message and
 * the reason is returned. `dawnFunction` is any function of the binding (it identifies Dawn's realm).
 */
export async function enableSynchronousReads(
  tf: typeof TF,
  backend: WebGpuBackendInternals,
  dawnFunction: (...args: never[]) => unknown,
): Promise<Result<true, string>> {
  const realm = realmOf(dawnFunction);
  const probe = backend.device.createBuffer({ size: 4, usage: BUFFER_MAP_READ | BUFFER_COPY_DST });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      let mapping: Promise<void> = Promise.resolve();
      const processEvents = captureProcessEvents(realm, () => {
        mapping = probe.mapAsync(MAP_MODE_READ);
      });
      if (processEvents !== undefined) {
        waitForMap(probe, processEvents, 10_000);
        probe.unmap();
        installSynchronousReads(tf, backend, processEvents);
        return ok(true);
      }
      // Dawn had its event processing queued already (another operation in flight): let it run, retry.
      await mapping;
      probe.unmap();
    }
    refuseSynchronousReads(backend, "Dawn's event processing could not be reached");
    return fail("Dawn's event processing could not be reached");
  } catch (error) {
    refuseSynchronousReads(backend, firstErrorLine(error));
    return fail(firstErrorLine(error));
  } finally {
    probe.destroy();
  }
}

/** Makes every synchronous read fail with a message that says what to do instead. */
export function refuseSynchronousReads(backend: WebGpuBackendInternals, why: string): void {
  backend.readSync = () => {
    throw new Error(`webgpu: synchronous reads (dataSync, arraySync) are unavailable here (${why}); use await tensor.data()`);
  };
}

function isBuffer(resource: unknown): resource is GpuBufferLike {
  return typeof resource === 'object' && resource !== null && typeof (resource as GpuBufferLike).mapAsync === 'function';
}
