import { backendChoiceFrom, initBackend } from '../../engine/compute/backend';
import { type KernelGrouping, profileStep, type StepProfile, type TransferCount } from '../../engine/compute/profile';
import { PAPER_WIDTH, type SegmentationNet, segmentationStep } from './segmentation-step';
import { type BenchOptions, type BenchResult, type BenchSuite, round } from './suite';

/**
 * `npm run bench -- profile [--model enet,unet] [--size 64] [--batch 8] [--steps 5] [--width N]
 * [--profiled 3] [--backend wasm] [--top 20] [--by kernel|shape]`: where a training step of train-unet / train-enet goes on the chosen
 * backend (engine/compute/profile): per kernel (time, calls, share) and per step (wall time, kernel
 * time, time outside kernels, uploads, synchronous and asynchronous reads, shaders compiled, memory).
 * The models run one after the other in the same process, so their tables compare side by side.
 * `--quick`: 32×32, batch 2, one step (a smoke run of the same code).
 */
const NETS: readonly SegmentationNet[] = ['enet', 'unet'];

interface ProfileArgs {
  models: SegmentationNet[];
  size: number;
  batch: number;
  steps: number;
  width?: number;
  top: number;
  by: KernelGrouping;
  profiled: number;
}

function parse(args: Readonly<Record<string, string>>, quick: boolean): ProfileArgs {
  const integer = (name: string, fallback: number): number => {
    const text = args[name];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`profile: --${name} must be a positive integer, got "${text}"`);
    return value;
  };
  const models = (args.model ?? NETS.join(',')).split(',').map((m) => m.trim());
  const unknown = models.filter((m) => !(NETS as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`profile: --model takes ${NETS.join(', ')} (comma-separated), got "${unknown.join(', ')}"`);
  return {
    models: models as SegmentationNet[],
    size: integer('size', quick ? 32 : 64),
    batch: integer('batch', quick ? 2 : 8),
    steps: integer('steps', quick ? 1 : 5),
    width: args.width === undefined ? undefined : integer('width', 1),
    top: integer('top', 20),
    by: grouping(args.by),
    profiled: integer('profiled', quick ? 1 : 3),
  };
}

function grouping(text: string | undefined): KernelGrouping {
  if (text === undefined || text === 'kernel' || text === 'shape') return text ?? 'kernel';
  throw new Error(`profile: --by takes kernel or shape, got "${text}"`);
}

function transfers(t: TransferCount): Record<string, number> {
  return { count: round(t.count, 2), bytes: Math.round(t.bytes), ms: round(t.ms, 3) };
}

/** The bench JSON's form of a profile (snake_case, rounded). */
function toJson(net: SegmentationNet, width: number, params: number, a: ProfileArgs, p: StepProfile): Record<string, unknown> {
  return {
    model: net,
    width,
    params,
    size: a.size,
    batch: a.batch,
    steps: a.steps,
    images_per_s: round((a.batch * 1000) / p.medianStepMs, 3),
    median_step_ms: round(p.medianStepMs, 2),
    step_ms: p.stepMs.map((ms) => round(ms, 2)),
    warmup_ms: round(p.warmupMs, 1),
    per_step: { uploads: transfers(p.perStep.uploads), sync_reads: transfers(p.perStep.syncReads), async_reads: transfers(p.perStep.asyncReads) },
    pipelines_compiled: p.pipelinesCompiled,
    profiled_step: {
      steps: p.profiled.steps,
      wall_ms: round(p.profiled.wallMs, 2),
      kernel_ms: p.profiled.kernelMs === null ? null : round(p.profiled.kernelMs, 2),
      outside_kernels_ms: p.profiled.outsideKernelsMs === null ? null : round(p.profiled.outsideKernelsMs, 2),
      kernels_timed: p.profiled.timed,
      kernel_calls: round(p.profiled.calls, 2),
      peak_bytes: p.profiled.peakBytes,
    },
    memory: { tensor_bytes: p.memory.tensorBytes, gpu_bytes_in_use: p.memory.gpuBytesInUse, gpu_bytes_allocated: p.memory.gpuBytesAllocated },
    kernels: p.profiled.rows.map((r) => ({
      kernel: r.kernel,
      calls: r.calls,
      ms: r.ms === null ? null : round(r.ms, 3),
      share: r.share === null ? null : round(r.share, 4),
    })),
  };
}

function rowsFor(net: SegmentationNet, width: number, a: ProfileArgs, p: StepProfile): BenchResult['rows'] {
  const ms = (value: number | null) => (value === null ? 'untimed' : `${round(value, 1)}`);
  const t = p.perStep;
  const rows: BenchResult['rows'] = [
    [
      `${net} (width ${width}) ${a.size}×${a.size} batch ${a.batch}`,
      `${round((a.batch * 1000) / p.medianStepMs, 2)}`,
      `images/s (median of ${a.steps} steps, ${round(p.medianStepMs, 1)} ms)`,
    ],
    [
      '  warm-up step',
      `${round(p.warmupMs, 1)}`,
      `ms${p.pipelinesCompiled === null ? '' : `, ${p.pipelinesCompiled.warmup} shaders compiled (${p.pipelinesCompiled.steady} in steady steps)`}`,
    ],
    ['  profiled step: wall', `${round(p.profiled.wallMs, 1)}`, `ms (mean of ${p.profiled.steps})`],
    ['  kernels', `${ms(p.profiled.kernelMs)}`, `ms in ${round(p.profiled.calls, 1)} kernel calls`],
    ['  outside kernels', `${ms(p.profiled.outsideKernelsMs)}`, 'ms (dispatch, autodiff, JavaScript)'],
    ['  uploads per step', `${round(t.uploads.count, 1)}, ${round(t.uploads.bytes / 1024, 1)} KiB`, `in ${round(t.uploads.ms, 2)} ms`],
    ['  sync reads per step', `${round(t.syncReads.count, 1)}, ${round(t.syncReads.bytes / 1024, 1)} KiB`, `in ${round(t.syncReads.ms, 2)} ms`],
    ['  async reads per step', `${round(t.asyncReads.count, 1)}, ${round(t.asyncReads.bytes / 1024, 1)} KiB`, `in ${round(t.asyncReads.ms, 2)} ms`],
    [
      '  peak tensor memory',
      `${round(p.profiled.peakBytes / 2 ** 20, 1)}`,
      `MiB${p.memory.gpuBytesAllocated === null ? '' : `; GPU buffers ${round(p.memory.gpuBytesAllocated / 2 ** 20, 1)} MiB allocated`}`,
    ],
  ];
  for (const r of p.profiled.rows.slice(0, a.top)) {
    const share = r.share === null ? '' : ` (${round(r.share * 100, 1)} %)`;
    const label = r.kernel.length > 90 ? `${r.kernel.slice(0, 89)}…` : r.kernel;
    rows.push([`    ${label} ×${round(r.calls, 2)}`, `${ms(r.ms)}${share}`, r.ms === null ? '' : `ms, ${round(r.ms / r.calls, 3)} ms/call`]);
  }
  return rows;
}

export const suite: BenchSuite = {
  name: 'profile',
  summary: 'where a U-Net / ENet training step goes on the chosen backend: per kernel and per step (uploads, reads, shaders)',
  options: {
    model: 'enet,unet (default both, side by side)',
    size: 'image size (default 64; 32 with --quick)',
    batch: 'batch size (default 8; 2 with --quick)',
    steps: 'steady steps timed (default 5; 1 with --quick)',
    profiled: 'steps profiled per kernel, reported as means per step (default 3; 1 with --quick)',
    width: "channels (U-Net's initChannels, ENet's w); default the paper's (32, 16)",
    backend: 'auto|gpu|webgpu|node|wasm|cpu (default CARDIGAN_BACKEND, else auto)',
    top: 'kernels listed per model (default 20; the JSON has all)',
    by: 'kernel (default) or shape: one row per kernel and input shapes',
  },
  async run({ quick, log, args }: BenchOptions): Promise<BenchResult> {
    const a = parse(args, quick);
    const info = await initBackend(backendChoiceFrom(args.backend), { log });
    const rows: BenchResult['rows'] = [['backend', `${info.kind}: ${info.detail}`, '']];
    const runs: Array<Record<string, unknown>> = [];
    for (const net of a.models) {
      const width = a.width ?? PAPER_WIDTH[net];
      log(`  ${net} width ${width}, ${a.size}×${a.size}, batch ${a.batch}: warm-up, ${a.steps} steps, 1 profiled step`);
      const training = segmentationStep(net, { size: a.size, batch: a.batch, width });
      try {
        const p = await profileStep(() => training.step(), { steps: a.steps, profiled: a.profiled, grouping: a.by });
        runs.push(toJson(net, width, training.params, a, p));
        rows.push(...rowsFor(net, width, a, p));
      } finally {
        training.dispose();
      }
    }
    return { rows, json: { profile: { backend: info.kind, backend_detail: info.detail, runs } } };
  },
};
