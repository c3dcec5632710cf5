import { spawnSync } from 'child_process';
import * as path from 'path';

/** The figures a PyTorch reference script prints (its last line, JSON), or why there are none. */
export type TorchFigures = { ok: true; figures: Record<string, unknown> & Record<string, number | string> } | { ok: false; reason: string };

/** Runs test/bench/<script> with `python3` (PyTorch is optional: its absence is reported, not fatal). */
function runScript(script: string, args: string[]): TorchFigures {
  const file = path.join(__dirname, '..', '..', '..', 'test', 'bench', script);
  const result = spawnSync('python3', [file, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.error !== undefined) return { ok: false, reason: `python3 did not start (${result.error.message})` };
  if (result.status !== 0) {
    const last = result.stderr.trim().split('\n').pop() ?? '';
    return { ok: false, reason: last.includes('No module named') ? 'PyTorch is not installed (python3 -m pip install torch)' : last };
  }
  return { ok: true, figures: JSON.parse(result.stdout.trim().split('\n').pop() as string) };
}

/** torch_reference.py: conv, U-Net and ENet figures for the backend and models benches. */
export function runTorchReference(args: string[]): TorchFigures {
  return runScript('torch_reference.py', args);
}

/** torch_models.py: one of the paper's five workloads, for the gpu bench. */
export function runTorchModels(args: string[]): TorchFigures {
  return runScript('torch_models.py', args);
}
