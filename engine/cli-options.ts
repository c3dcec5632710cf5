import { parseArgs } from 'util';
import type { BackendChoice } from './backend';
import { resolveCacheRoot } from './cache-layout';
import { parseDuration } from './duration';
import { UsageError } from './errors';
import type { SelectionSpec } from './selection';
import { didYouMean } from './suggest';

/**
 * Option parsing for `plan`, `run` and `cache`, on node's util.parseArgs. (The experiment loader's
 * engine/args.ts parses `validate` and `graph`; the two are to be unified.)
 */

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseOptions(command: string, args: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message);
    if (unknown !== null) {
      const names = Object.keys(options).map((name) => `--${name}`);
      throw new UsageError(`cardigan ${command}: unknown option ${unknown[1]}${didYouMean(unknown[1], names)}\nRun "cardigan ${command} --help" for the options.`);
    }
    throw new UsageError(`cardigan ${command}: ${message.replace(/\. To specify.*$/s, '')}`);
  }
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'gpu', 'node', 'wasm', 'cpu'];

export interface RunCliOptions {
  experiment: string;
  set: string[];
  json: boolean;
  cache: string;
  jobs: number | undefined;
  backend: BackendChoice;
  selection: SelectionSpec;
}

export function parseRunOptions(args: string[], env: NodeJS.ProcessEnv = process.env): RunCliOptions {
  const { values, positionals } = parseOptions('run', args, {
    set: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    cache: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    backend: { type: 'string' },
    only: { type: 'string', multiple: true },
    from: { type: 'string', multiple: true },
    until: { type: 'string', multiple: true },
    force: { type: 'string', multiple: true },
  });
  return {
    experiment: onePositional('run', positionals),
    set: strings(values.set),
    json: values.json === true,
    cache: resolveCacheRoot(values.cache as string | undefined, env),
    jobs: values.jobs === undefined ? undefined : positiveInteger('--jobs', values.jobs as string),
    backend: backendChoice((values.backend as string | undefined) ?? env.CARDIGAN_BACKEND),
    selection: { only: strings(values.only), from: strings(values.from), until: strings(values.until), force: strings(values.force) },
  };
}

export interface PlanCliOptions {
  experiment: string;
  set: string[];
  json: boolean;
  explain: boolean;
  cache: string;
}

export function parsePlanOptions(args: string[], env: NodeJS.ProcessEnv = process.env): PlanCliOptions {
  const { values, positionals } = parseOptions('plan', args, {
    set: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    explain: { type: 'boolean' },
    cache: { type: 'string' },
  });
  return {
    experiment: onePositional('plan', positionals),
    set: strings(values.set),
    json: values.json === true,
    explain: values.explain === true,
    cache: resolveCacheRoot(values.cache as string | undefined, env),
  };
}

export type CacheCliOptions =
  | { action: 'ls'; cache: string; json: boolean }
  | { action: 'verify'; cache: string; json: boolean }
  | { action: 'gc'; cache: string; json: boolean; keepLast: number | undefined; olderThanMs: number | undefined; dryRun: boolean };

export function parseCacheOptions(args: string[], env: NodeJS.ProcessEnv = process.env): CacheCliOptions {
  const { values, positionals } = parseOptions('cache', args, {
    cache: { type: 'string' },
    json: { type: 'boolean' },
    'keep-last': { type: 'string' },
    'older-than': { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`cardigan cache: unexpected argument "${extra[0]}"`);
  const cache = resolveCacheRoot(values.cache as string | undefined, env);
  const json = values.json === true;
  const gcOnly = ['keep-last', 'older-than', 'dry-run'].filter((name) => values[name] !== undefined);
  switch (action) {
    case 'ls':
    case 'verify':
      if (gcOnly.length > 0) throw new UsageError(`cardigan cache ${action}: --${gcOnly[0]} belongs to "cache gc"`);
      return { action, cache, json };
    case 'gc': {
      const keepLast = values['keep-last'] === undefined ? undefined : nonNegativeInteger('--keep-last', values['keep-last'] as string);
      let olderThanMs: number | undefined;
      if (values['older-than'] !== undefined) {
        olderThanMs = parseDuration(values['older-than'] as string);
        if (olderThanMs === undefined) throw new UsageError(`--older-than ${String(values['older-than'])}: expected a number and a unit, e.g. 90m, 12h, 7d or 2w`);
      }
      if (keepLast === undefined && olderThanMs === undefined) {
        throw new UsageError('cardigan cache gc: say what to keep, with --keep-last N (entries of the N most recent runs) and/or --older-than 7d');
      }
      return { action, cache, json, keepLast, olderThanMs, dryRun: values['dry-run'] === true };
    }
    case undefined:
      throw new UsageError('cardigan cache: expected ls, verify or gc');
    default:
      throw new UsageError(`cardigan cache: unknown action "${action}"${didYouMean(action, ['ls', 'verify', 'gc'])}`);
  }
}

function onePositional(command: string, positionals: string[]): string {
  if (positionals.length === 0) throw new UsageError(`cardigan ${command}: expected an experiment file, e.g. cardigan ${command} experiments/paper.yaml`);
  if (positionals.length > 1) throw new UsageError(`cardigan ${command}: expected one experiment file, got ${positionals.join(' ')}`);
  return positionals[0];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1) throw new UsageError(`${flag} ${text}: expected a whole number of at least 1`);
  return value;
}

function nonNegativeInteger(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag} ${text}: expected a whole number`);
  return Number(text);
}

function backendChoice(text: string | undefined): BackendChoice {
  if (text === undefined || text === '') return 'auto';
  if ((BACKENDS as readonly string[]).includes(text)) return text as BackendChoice;
  throw new UsageError(`--backend ${text}: expected one of ${BACKENDS.join(', ')} (also settable as CARDIGAN_BACKEND)${didYouMean(text, BACKENDS)}`);
}
