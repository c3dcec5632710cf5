import { UserError } from '../errors';
import type { BackendKind } from './backend-candidates';
import { notOneOf, oneOf } from '../suggest';

/**
 * Backend selection. `auto` takes the first that starts of tfjs-node-gpu, WebGPU (Dawn), tfjs-node,
 * wasm, cpu.
 * This module loads no tfjs at import time: the candidates require it when a run first needs it.
 */
export type BackendChoice = 'auto' | BackendKind;

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'gpu', 'webgpu', 'node', 'wasm', 'cpu'];

/** The environment variable that picks the backend when no `--backend` flag is given. */
export const BACKEND_ENV = 'CARDIGAN_BACKEND';

export interface BackendInfo {
  /** tfjs backend name actually in use: `tensorflow`, `webgpu`, `wasm` or `cpu`. */
  name: string;
  /** What the user asked for. */
  requested: BackendChoice;
  /** One line per backend that was tried and skipped, with the reason. */
  skipped: string[];
  /** Which of cardigan's backends runs (`gpu` and `node` both have the tfjs name `tensorflow`). */
  kind: BackendKind;
  /** For people and run records: what executes the tensors. */
  detail: string;
}

export interface InitBackendOptions {
  /** Where the one-time report goes (one line each); stderr by default. */
  log?: (line: string) => void;
}

/** The backend to use: the `--backend` flag, else CARDIGAN_BACKEND, else `auto`. */
export function backendChoiceFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): BackendChoice {
  const [value, source] = flag !== undefined ? [flag, '--backend'] : [env[BACKEND_ENV], BACKEND_ENV];
  if (value === undefined || value === '') return 'auto';
  const choice = oneOf(value, BACKEND_CHOICES);
  if (choice === undefined) throw new UserError(notOneOf(source, value, BACKEND_CHOICES));
  return choice;
}

/** The lines `initBackend` prints: the choice, then one per skipped backend. */
export function describeBackend(info: BackendInfo): string[] {
  return [`backend: ${info.kind} (${info.detail})`, ...info.skipped.map((line) => `  skipped ${line}`)];
}

let current: { requested: BackendChoice; info: Promise<BackendInfo> } | undefined;

/**
 * Starts the requested backend once per process and prints what it chose and why it skipped
 * the others. Asking again for the same choice returns the same answer without printing; asking
 * for another switches (tests compare backends in one process). An explicitly requested backend
 * that cannot start is a UserError that says what to install.
 */
export function initBackend(requested: BackendChoice = 'auto', options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (current?.requested === requested) return current.info;
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const info = select(requested).then((chosen) => {
    for (const line of describeBackend(chosen)) log(line);
    return chosen;
  });
  current = { requested, info };
  info.catch(() => {
    if (current?.info === info) current = undefined;
  });
  return info;
}

async function select(requested: BackendChoice): Promise<BackendInfo> {
  const { CANDIDATES } = require('./backend-candidates') as typeof import('./backend-candidates');
  const tried = requested === 'auto' ? CANDIDATES : CANDIDATES.filter((candidate) => candidate.kind === requested);
  const skipped: string[] = [];
  for (const candidate of tried) {
    const started = await candidate.start({ explicit: requested !== 'auto' });
    if (started.ok) return { ...started.value, requested, skipped, kind: candidate.kind };
    if (requested !== 'auto') {
      throw new UserError(`backend "${requested}" is unavailable: ${started.error}.\nTo use it: ${candidate.installHint}.`);
    }
    skipped.push(`${candidate.kind}: ${started.error}`);
  }
  throw new UserError(`no backend could start:\n${skipped.map((line) => `  ${line}`).join('\n')}`);
}
