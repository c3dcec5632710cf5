import { accessSync, constants } from 'fs';
import * as path from 'path';

/**
 * Gating for tests that need programs outside npm (a Slurm cluster's daemons, say). A test whose
 * tools are all present runs; otherwise it prints one line naming what is missing and is not run —
 * except in strict mode (CARDIGAN_STRICT_TOOLS=1, which CI sets after installing them), where a
 * missing tool fails the suite, so a broken install never passes as skipped tests.
 */
export function toolsPresent(what: string, tools: readonly string[], extra: () => string | undefined = () => undefined): boolean {
  const missing = tools.filter((tool) => findOnPath(tool) === undefined);
  const problem = missing.length > 0 ? `${missing.join(', ')} not found on PATH` : extra();
  if (problem === undefined) return true;
  const line = `${what}: not run, ${problem}`;
  if (process.env.CARDIGAN_STRICT_TOOLS === '1') throw new Error(`${line} (CARDIGAN_STRICT_TOOLS=1: every tool must be installed; see .ci/run)`);
  process.stderr.write(`${line}\n`);
  return false;
}

function findOnPath(tool: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
