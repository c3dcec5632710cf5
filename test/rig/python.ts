import { execFileSync } from 'child_process';

/**
 * The Python that independent cross-checks run under: Debian's, which has python3-numpy,
 * python3-scipy and python3-nibabel (installed by .ci/run). Override with CARDIGAN_REFERENCE_PYTHON.
 */
export function referencePython(): string {
  return process.env.CARDIGAN_REFERENCE_PYTHON ?? '/usr/bin/python3';
}

/** Runs a Python snippet and returns its stdout. */
export function runPython(code: string, args: string[] = []): string {
  return execFileSync(referencePython(), ['-c', code, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}
