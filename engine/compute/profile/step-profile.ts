import * as tf from '@tensorflow/tfjs-core';
import { type KernelGrouping, type KernelTable, kernelTable } from './kernel-table';
import { meterTransfers, type TransferCounts } from './transfer-meter';

/**
 * Where the time of a repeated step (a training step: forward, backward, optimiser, loss read)
 * goes, on whichever backend runs: the same code on wasm, cpu and webgpu.
 *
 *   1. one warm-up step, timed: its excess over a steady step is set-up (webgpu compiles a pipeline
 *      per new shader there; wasm and cpu allocate), and the pipelines it compiled are counted;
 *   2. `steps` steady steps, timed, with uploads and reads counted (transfer-meter.ts);
 *   3. `profiled` more steps under `tf.profile` (default 1), for time per kernel, or per kernel and
 *      input shapes (kernel-table.ts), as means per step (several steps even out a shared
 *      machine's noise). Profiling times each
 *      kernel on its own (webgpu submits each one with timestamp queries), so this step's wall time
 *      is longer than a steady one; the steady steps are the ones to quote.
 */
export interface StepProfile {
  backend: string;
  warmupMs: number;
  /** Wall time of each steady step, and their median. */
  stepMs: number[];
  medianStepMs: number;
  /** Per steady step (means over the steps). */
  perStep: TransferCounts;
  /** Shaders compiled during the warm-up and during the steady steps (webgpu; null elsewhere). */
  pipelinesCompiled: { warmup: number; steady: number } | null;
  /** The profiled steps, per step (kernel times and calls are means over them). */
  profiled: KernelTable & {
    steps: number;
    wallMs: number;
    /** Wall time outside kernels: op dispatch, autodiff bookkeeping, JavaScript between ops, reads. */
    outsideKernelsMs: number | null;
    /** Most bytes of tensors alive at once during the step, as tfjs counts them. */
    peakBytes: number;
  };
  /** After the steps: bytes of live tensors, and on webgpu the GPU buffers in use and allocated. */
  memory: { tensorBytes: number; gpuBytesInUse: number | null; gpuBytesAllocated: number | null };
}

export interface ProfileOptions {
  /** Steady steps timed. */
  steps: number;
  /** Steps run under tf.profile. Default 1. */
  profiled?: number;
  /** Default 'kernel'. */
  grouping?: KernelGrouping;
}

export async function profileStep(step: () => Promise<void>, options: ProfileOptions): Promise<StepProfile> {
  const { steps, profiled = 1, grouping = 'kernel' } = options;
  for (const [name, value] of [
    ['steps', steps],
    ['profiled', profiled],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 1)) throw new Error(`profileStep: ${name} must be a positive integer, got ${value}`);
  }
  const backend = tf.backend();
  const pipelines = pipelineCounter(backend);

  // 1. Warm-up.
  const warmupStart = performance.now();
  await step();
  const warmupMs = performance.now() - warmupStart;
  const afterWarmup = pipelines();

  // 2. Steady steps.
  const meter = meterTransfers(tf.engine(), backend);
  const stepMs: number[] = [];
  let counts: TransferCounts;
  try {
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      await step();
      stepMs.push(performance.now() - start);
    }
  } finally {
    counts = meter.stop();
  }
  const afterSteady = pipelines();

  // 3. Profiled steps.
  const profileStart = performance.now();
  const info = await tf.profile(async () => {
    for (let i = 0; i < profiled; i++) await step();
    return [];
  });
  const wallMs = (performance.now() - profileStart) / profiled;
  const name = tf.getBackend();
  const table = perProfiledStep(
    kernelTable(info.kernels, (kernel) => tf.getKernel(kernel, name) !== undefined, grouping),
    profiled,
  );

  const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  return {
    backend: name,
    warmupMs,
    stepMs,
    medianStepMs: median(stepMs),
    perStep: perStep(counts, steps),
    pipelinesCompiled: afterWarmup === null || afterSteady === null ? null : { warmup: afterWarmup, steady: afterSteady - afterWarmup },
    profiled: {
      ...table,
      steps: profiled,
      wallMs,
      outsideKernelsMs: table.kernelMs === null ? null : Math.max(wallMs - table.kernelMs, 0),
      peakBytes: info.peakBytes,
    },
    memory: { tensorBytes: memory.numBytes, gpuBytesInUse: memory.numBytesInGPU ?? null, gpuBytesAllocated: memory.numBytesAllocatedInGPU ?? null },
  };
}

/** Shaders compiled so far since the call (tfjs-backend-webgpu caches one pipeline per shader key); null without such a cache. */
function pipelineCounter(backend: tf.KernelBackend): () => number | null {
  const cache = (backend as unknown as { pipelineCache?: Record<string, unknown> }).pipelineCache;
  if (cache === undefined || cache === null) return () => null;
  const start = Object.keys(cache).length;
  return () => Object.keys(cache).length - start;
}

function perProfiledStep(table: KernelTable, steps: number): KernelTable {
  const per = (value: number | null) => (value === null ? null : value / steps);
  return {
    ...table,
    calls: table.calls / steps,
    kernelMs: per(table.kernelMs),
    rows: table.rows.map((r) => ({ ...r, calls: r.calls / steps, ms: per(r.ms) })),
  };
}

function perStep(counts: TransferCounts, steps: number): TransferCounts {
  const mean = ({ count, bytes, ms }: TransferCounts['uploads']) => ({ count: count / steps, bytes: bytes / steps, ms: ms / steps });
  return { uploads: mean(counts.uploads), syncReads: mean(counts.syncReads), asyncReads: mean(counts.asyncReads) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
