/**
 * Kernel time by kernel name, from the records `tf.profile` makes (one per kernel run, plus one per
 * composite op such as a custom-gradient function, whose time already contains its kernels'). The
 * same records on every backend: wasm and cpu time each kernel on the CPU, webgpu with timestamp
 * queries (zero where the device has none, which `timed` then says).
 */
export interface ProfiledKernel {
  name: string;
  /** Milliseconds; tfjs leaves a non-number where the backend could not time the kernel. */
  kernelTimeMs: unknown;
  inputShapes?: ReadonlyArray<readonly number[] | null>;
}

/** Rows by kernel name, or by kernel name and input shapes (which layer of a network costs what). */
export type KernelGrouping = 'kernel' | 'shape';

export interface KernelRow {
  kernel: string;
  calls: number;
  /** Total over the calls; null when the backend gave no times. */
  ms: number | null;
  /** Of all kernels' time; null when untimed. */
  share: number | null;
}

export interface KernelTable {
  rows: KernelRow[];
  /** Kernels run (composite ops not counted). */
  calls: number;
  /** Sum of kernel times; null when untimed. */
  kernelMs: number | null;
  /** Whether the backend timed its kernels (webgpu needs the timestamp-query feature). */
  timed: boolean;
}

/**
 * Sums the records of real kernels (`isKernel(name)`: registered for the backend), largest first;
 * composite-op records are left out so that no time is counted twice.
 */
export function kernelTable(records: readonly ProfiledKernel[], isKernel: (name: string) => boolean, grouping: KernelGrouping = 'kernel'): KernelTable {
  const byName = new Map<string, { ms: number; calls: number }>();
  let calls = 0;
  let total = 0;
  let timed = false;
  for (const record of records) {
    if (!isKernel(record.name)) continue;
    const ms = typeof record.kernelTimeMs === 'number' && Number.isFinite(record.kernelTimeMs) ? record.kernelTimeMs : 0;
    if (ms > 0) timed = true;
    const key =
      grouping === 'kernel' ? record.name : `${record.name} ${(record.inputShapes ?? []).map((s) => (s === null ? '-' : `[${s.join(',')}]`)).join(' ')}`;
    const entry = byName.get(key) ?? { ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls += 1;
    byName.set(key, entry);
    calls += 1;
    total += ms;
  }
  const rows = [...byName.entries()]
    .map(([kernel, { ms, calls: n }]): KernelRow => ({ kernel, calls: n, ms: timed ? ms : null, share: timed && total > 0 ? ms / total : null }))
    .sort((a, b) => (b.ms ?? 0) - (a.ms ?? 0) || b.calls - a.calls || a.kernel.localeCompare(b.kernel));
  return { rows, calls, kernelMs: timed ? total : null, timed };
}
