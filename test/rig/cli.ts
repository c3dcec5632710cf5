import { spawnSync } from 'child_process';
import * as path from 'path';
import { cardigan as main } from '../../nodes/cardigan';

const root = path.resolve(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `cardigan <args>` from the TypeScript sources in a child process: the whole process, exit code
 * included. `cwd` (default: the repository) is its working directory.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): CliResult {
  const result = spawnSync(process.execPath, ['-r', path.join(root, 'test/rig/ts-register.js'), path.join(root, 'nodes/cardigan.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `cardigan <args>` in this (jest) process, capturing what it prints: fast enough for many calls per test. */
export async function cardigan(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
