import type { KernelBackend } from '@tensorflow/tfjs-core';

/**
 * Counts and times what crosses between JavaScript and the backend's memory: uploads (every tensor
 * made from JavaScript values: `tf.tensor`, the scalars ops make of number arguments, `tf.ones`;
 * all go through the engine's `makeTensor`) and reads, synchronous (the backend's `readSync`:
 * `dataSync`, and kernels that read their inputs on the CPU) and asynchronous (`read`: `data()`).
 * On a GPU a synchronous read waits for all queued work, so its time is mostly that wait; on wasm
 * both kinds are copies out of the heap.
 */
export interface TransferCount {
  count: number;
  bytes: number;
  ms: number;
}

export interface TransferCounts {
  uploads: TransferCount;
  syncReads: TransferCount;
  asyncReads: TransferCount;
}

type AnyMethod = (...args: unknown[]) => unknown;

/** Starts counting; `stop()` puts the original methods back and returns the counts. */
export function meterTransfers(engine: object, backend: KernelBackend): { stop(): TransferCounts } {
  const counts: TransferCounts = { uploads: zero(), syncReads: zero(), asyncReads: zero() };
  const restore: Array<() => void> = [];
  // A read inside a read (wasm's `read` calls its `readSync`) is one transfer, counted once.
  let depth = 0;
  const wrap = (target: object, method: string, count: TransferCount, bytes: (args: unknown[], result: unknown) => number) => {
    const object = target as Record<string, AnyMethod>;
    const original = object[method];
    if (typeof original !== 'function') return;
    // An own method (webgpu's replaced readSync) is put back; a prototype's is uncovered again.
    restore.push(Object.hasOwn(object, method) ? () => (object[method] = original) : () => delete object[method]);
    object[method] = function (this: unknown, ...args: unknown[]) {
      if (depth > 0) return original.apply(this, args);
      const start = performance.now();
      depth++;
      let result: unknown;
      try {
        result = original.apply(this, args);
      } finally {
        depth--;
      }
      if (result instanceof Promise) {
        return result.then((values: unknown) => {
          add(count, performance.now() - start, bytes(args, values));
          return values;
        });
      }
      add(count, performance.now() - start, bytes(args, result));
      return result;
    };
  };
  wrap(engine, 'makeTensor', counts.uploads, (args) => byteLength(args[0]));
  wrap(backend, 'readSync', counts.syncReads, (_, result) => byteLength(result));
  wrap(backend, 'read', counts.asyncReads, (_, result) => byteLength(result));
  return {
    stop() {
      for (const undo of restore) undo();
      return counts;
    },
  };
}

function zero(): TransferCount {
  return { count: 0, bytes: 0, ms: 0 };
}

function add(count: TransferCount, ms: number, bytes: number): void {
  count.count += 1;
  count.ms += ms;
  count.bytes += bytes;
}

function byteLength(values: unknown): number {
  if (ArrayBuffer.isView(values)) return values.byteLength;
  if (Array.isArray(values)) return values.reduce((sum: number, v: unknown) => sum + byteLength(v), 0);
  return 0;
}
