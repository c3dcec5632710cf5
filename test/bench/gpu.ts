import * as path from 'path';
import { backendChoiceFrom, initBackend } from '../../engine/compute/backend';
import { profileStep } from '../../engine/compute/profile';
import { GPU_MODELS, type GpuModel, PAPER_SHAPES, QUICK_SHAPES, type WorkloadShape, workload } from './gpu-workloads';
import { paperWork, projectHours } from './paper-workload';
import { type BenchOptions, type BenchResult, type BenchSuite, round } from './suite';
import { runTorchModels } from './torch';

/**
 * `npm run bench -- gpu [--quick] [--models spade,unet,enet,mask-vae,generate] [--steps 5]
 * [--backend webgpu] [--torch-device auto|cuda|cpu]`: images/s of one step of each of the paper's
 * five workloads (gpu-workloads.ts) at the paper's sizes, on the chosen backend (a GPU one where
 * there is a GPU: webgpu), with the memory in use; beside each, in the same run on the same machine,
 * PyTorch running the same network and batch (torch_models.py, on CUDA when it has it, else one CPU
 * thread), its parameter count checked equal to ours; the ratio ours / PyTorch's; and the wall
 * time paper.yaml's training and generation would take at these rates (paper-workload.ts), for both.
 * `--quick`: tiny sizes that run on SwiftShader or wasm in seconds, to rehearse the bench where
 * there is no GPU; its figures are not the paper's.
 */
const ROOT = path.join(__dirname, '..', '..', '..');

interface GpuArgs {
  models: GpuModel[];
  steps: number;
  torchDevice: string;
}

function parse(args: Readonly<Record<string, string>>, quick: boolean): GpuArgs {
  const models = (args.models ?? GPU_MODELS.join(',')).split(',').map((m) => m.trim());
  const unknown = models.filter((m) => !(GPU_MODELS as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`gpu: --models takes ${GPU_MODELS.join(', ')}, got "${unknown.join(', ')}"`);
  const steps = Number(args.steps ?? (quick ? 2 : 5));
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`gpu: --steps must be a positive integer, got "${args.steps}"`);
  return { models: models as GpuModel[], steps, torchDevice: args['torch-device'] ?? 'auto' };
}

interface TorchRun {
  imagesPerS: number;
  device: string;
  version: string;
  memoryMb?: number;
}

/** PyTorch's figure for one workload; throws if its network is not ours (parameter counts differ). */
function torchRun(model: GpuModel, shape: WorkloadShape, steps: number, device: string, ours: Record<string, number>): TorchRun | { unavailable: string } {
  const args = [
    '--model',
    model,
    '--size',
    String(shape.size),
    '--batch',
    String(shape.batch),
    '--width',
    String(shape.width),
    '--hidden',
    String(shape.hidden || 128),
    '--steps',
    String(steps),
    '--device',
    device,
  ];
  const result = runTorchModels(args);
  if (!result.ok) return { unavailable: result.reason };
  const theirs = result.figures.params as unknown as Record<string, number>;
  for (const [name, count] of Object.entries(ours)) {
    if (theirs[name] !== count) throw new Error(`gpu: PyTorch's ${model} ${name} has ${theirs[name]} parameters, cardigan's ${count}: not the same network`);
  }
  const memory = result.figures.max_memory_mb;
  return {
    imagesPerS: Number(result.figures.images_per_s),
    device: String(result.figures.device),
    version: String(result.figures.torch_version),
    ...(typeof memory === 'number' ? { memoryMb: memory } : {}),
  };
}

const mib = (bytes: number | null) => (bytes === null ? null : round(bytes / 2 ** 20, 1));

export const suite: BenchSuite = {
  name: 'gpu',
  summary:
    "images/s of the paper's five workloads at its sizes on the chosen backend, beside PyTorch on the same machine, and paper.yaml's projected wall time",
  options: {
    models: `${GPU_MODELS.join(',')} (default all)`,
    steps: 'steady steps timed per workload (default 5; 2 with --quick)',
    backend: 'auto|gpu|webgpu|node|wasm|cpu (default CARDIGAN_BACKEND, else auto)',
    'torch-device': 'auto (CUDA when PyTorch has it), cuda or cpu',
  },
  async run({ quick, log, args }: BenchOptions): Promise<BenchResult> {
    const a = parse(args, quick);
    const info = await initBackend(backendChoiceFrom(args.backend), { log });
    const shapes = quick ? QUICK_SHAPES : PAPER_SHAPES;
    const rows: BenchResult['rows'] = [['backend', `${info.kind}: ${info.detail}`, '']];
    const models: Record<string, unknown> = {};
    const ours: Partial<Record<GpuModel, number>> = {};
    const theirs: Partial<Record<GpuModel, number>> = {};
    let torchNote: string | undefined;
    for (const model of a.models) {
      const shape = shapes[model];
      log(`  ${model} ${shape.size}×${shape.size} batch ${shape.batch} width ${shape.width}`);
      const w = workload(model, shape);
      try {
        const p = await profileStep(() => w.step(), { steps: a.steps });
        const rate = (shape.batch * 1000) / p.medianStepMs;
        ours[model] = rate;
        const torch = torchRun(model, shape, a.steps, a.torchDevice, w.params);
        if ('unavailable' in torch) torchNote = torch.unavailable;
        else theirs[model] = torch.imagesPerS;
        const ratio = 'unavailable' in torch ? null : round(rate / torch.imagesPerS, 3);
        models[model] = {
          ...shape,
          params: w.params,
          images_per_s: round(rate, 3),
          median_step_ms: round(p.medianStepMs, 1),
          warmup_ms: round(p.warmupMs, 0),
          shaders_compiled: p.pipelinesCompiled,
          memory_mb: {
            tensors: mib(p.memory.tensorBytes),
            peak_tensors: mib(p.profiled.peakBytes),
            gpu_in_use: mib(p.memory.gpuBytesInUse),
            gpu_allocated: mib(p.memory.gpuBytesAllocated),
          },
          per_step: { uploads: p.perStep.uploads.count, sync_reads: p.perStep.syncReads.count, async_reads: p.perStep.asyncReads.count },
          top_kernels: p.profiled.rows.slice(0, 5).map((r) => ({ kernel: r.kernel, calls: r.calls, ms: r.ms === null ? null : round(r.ms, 2) })),
          torch:
            'unavailable' in torch
              ? torch
              : { images_per_s: torch.imagesPerS, device: torch.device, version: torch.version, max_memory_mb: torch.memoryMb ?? null },
          ratio_vs_torch: ratio,
        };
        const memory =
          p.memory.gpuBytesAllocated === null ? `peak tensors ${mib(p.profiled.peakBytes)} MiB` : `GPU ${mib(p.memory.gpuBytesAllocated)} MiB allocated`;
        const versus = 'unavailable' in torch ? '' : `; PyTorch (${torch.device}) ${round(torch.imagesPerS, 2)}, ratio ${ratio}`;
        rows.push([`${model} ${shape.size}×${shape.size}, batch ${shape.batch}`, `${round(rate, 2)}`, `images/s; ${memory}${versus}`]);
      } finally {
        w.dispose();
      }
    }
    const work = paperWork(ROOT);
    const hours = { cardigan: projectHours(work, ours), torch: projectHours(work, theirs) };
    const projection = {
      quick,
      workloads: work.map((w) => ({ model: w.model, images: w.images, why: w.why })),
      cardigan: hours.cardigan.total === undefined ? null : round(hours.cardigan.total, 2),
      torch: hours.torch.total === undefined ? null : round(hours.torch.total, 2),
      by_model: Object.fromEntries(
        work.map((w) => [w.model, { cardigan: rounded(hours.cardigan.byModel[w.model]), torch: rounded(hours.torch.byModel[w.model]) }]),
      ),
    };
    rows.push([
      `paper.yaml projected${quick ? ' (quick sizes: not the paper)' : ''}`,
      `${projection.cardigan ?? '—'} h`,
      `cardigan; PyTorch ${projection.torch ?? '—'} h (training and generation)`,
    ]);
    if (torchNote !== undefined) rows.push(['PyTorch', torchNote, '']);
    return { rows, json: { gpu: { backend: info.kind, backend_detail: info.detail, quick, models }, paper_yaml_projected_hours: projection } };
  },
};

function rounded(value: number | undefined): number | null {
  return value === undefined ? null : round(value, 3);
}
