import { spawnSync } from 'child_process';
import * as path from 'path';

/** The figures torch_reference.py prints, or why there are none. */
export type TorchFigures = { ok: true; figures: Record<string, number | string> } | { ok: false; reason: string };

/** Runs the PyTorch reference with `python3` (PyTorch is optional: its absence is reported, not fatal). */
export function runTorchReference(args: string[]): TorchFigures {
  const script = path.join(__dirname, '..', '..', '..', 'test', 'bench', 'torch_reference.py');
  const result = spawnSync('python3', [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.error !== undefined) return { ok: false, reason: `python3 did not start (${result.error.message})` };
  if (result.status !== 0) {
    const last = result.stderr.trim().split('\n').pop() ?? '';
    return { ok: false, reason: last.includes('No module named') ? 'PyTorch is not installed (python3 -m pip install torch)' : last };
  }
  return { ok: true, figures: JSON.parse(result.stdout.trim().split('\n').pop() as string) as Record<string, number | string> };
}
