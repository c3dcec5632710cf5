import { promises as fs } from 'fs';
import profileSchema from '../../../../schemas/slurm-profile.schema.json';
import { type Diagnostic, displayPath, formatDiagnostic, sortDiagnostics } from '../../../experiment/diagnostic';
import { type SchemaProblem, paramsCheck } from '../../../experiment/validate';
import { type PathSegment, YamlSource, dottedPath } from '../../../experiment/yaml-source';
import { UserError, unreachable } from '../../../errors';
import type { NodeJob } from '../../../keys/job';
import type { JsonSchema, ResourceClass } from '../../../node-api';

/**
 * A cluster's settings for `--executor slurm` (schemas/slurm-profile.schema.json): sbatch settings
 * for every job, per resource class and per node type, what starts cardigan on a compute node, and
 * how the executor polls and retries. Where a node runs is never part of its key, so none of this is.
 */
export interface JobSettings {
  partition?: string;
  account?: string;
  qos?: string;
  time?: string | number;
  memory?: string | number;
  cpus?: number;
  gpus?: number;
  gres?: string;
  extra?: string[];
}

export interface SlurmProfile extends JobSettings {
  command?: string[];
  pollSeconds: number;
  retries: number;
  lostAfterSeconds: number;
  maxJobs: number;
  resources?: Partial<Record<ResourceClass, JobSettings>>;
  types?: Record<string, JobSettings>;
  /** The file it came from; undefined for the defaults. */
  file?: string;
}

/** No profile: the cluster's own defaults for every sbatch setting. */
export function defaultProfile(): SlurmProfile {
  return { pollSeconds: 10, retries: 1, lostAfterSeconds: 120, maxJobs: 100 };
}

/** The settings of one job: the profile's, then its resource class's, then its node type's. */
export function settingsFor(profile: SlurmProfile, job: Pick<NodeJob, 'type' | 'resource'>): JobSettings {
  const merged: JobSettings = {};
  for (const layer of [profile, profile.resources?.[job.resource], profile.types?.[job.type]]) {
    if (layer === undefined) continue;
    for (const key of SETTING_KEYS) {
      const value = layer[key];
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  // `gres` and `gpus` say the same thing two ways: the more specific layer's wins.
  return merged;
}

const SETTING_KEYS = ['partition', 'account', 'qos', 'time', 'memory', 'cpus', 'gpus', 'gres', 'extra'] as const;

/** Reads and checks a profile; every mistake is reported at its line and column, all at once. */
export async function loadProfile(file: string, cwd = process.cwd()): Promise<SlurmProfile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read the Slurm profile ${displayPath(file, cwd)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  return parseProfile(file, text, cwd);
}

export function parseProfile(file: string, text: string, cwd = process.cwd()): SlurmProfile {
  const source = YamlSource.parse(file, text);
  const fail = (diagnostics: Diagnostic[]): never => {
    const sorted = sortDiagnostics(diagnostics);
    throw new UserError(
      [
        `${displayPath(file, cwd)} is not a valid Slurm profile (${sorted.length === 1 ? '1 error' : `${sorted.length} errors`}):`,
        ...sorted.map((d) => formatDiagnostic(d, cwd)),
      ].join('\n\n'),
    );
  };
  if (source.diagnostics.length > 0) fail(source.diagnostics);
  const value = source.value ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail([{ file, line: 1, col: 1, message: 'a Slurm profile is a mapping of settings, e.g. "partition: gpu"', sourceLine: source.lineText(1) }]);
  }
  const check = paramsCheck(profileSchema as JsonSchema);
  if ('error' in check) throw new Error(`schemas/slurm-profile.schema.json does not compile: ${check.error}`);
  const problems = check(value as Record<string, unknown>);
  if (problems.length > 0) fail(problems.map((problem) => locate(source, problem)));
  const profile = value as SlurmProfile;
  return { ...profile, file };
}

function locate(source: YamlSource, problem: SchemaProblem): Diagnostic {
  const at = problem.kind === 'invalid' ? 'value' : 'key';
  const span = source.span(problem.path, at);
  const place = { file: source.file, line: span.line, col: span.col, length: span.length, sourceLine: source.lineText(span.line) };
  switch (problem.kind) {
    case 'unknown-key':
      return {
        ...place,
        message: `unknown setting "${dottedPath(problem.path)}"${problem.suggestion === undefined ? '' : ` — did you mean "${problem.suggestion}"?`}`,
        hint:
          problem.path.length === 1
            ? 'settings: partition, account, qos, time, memory, cpus, gpus, gres, extra, command, pollSeconds, retries, lostAfterSeconds, maxJobs, resources, types'
            : 'per class or node type: partition, account, qos, time, memory, cpus, gpus, gres, extra',
      };
    case 'missing-key':
      return { ...place, message: `"${dottedPath(problem.path)}" needs "${problem.key}"` };
    case 'invalid':
      return { ...place, message: `"${dottedPath(problem.path)}" ${friendly(problem.path, problem.complaint)}` };
    default:
      return unreachable(problem);
  }
}

/** ajv's pattern messages quote a regular expression; say what is expected instead. */
function friendly(path: readonly PathSegment[], complaint: string): string {
  if (!complaint.startsWith('must match pattern')) return complaint;
  const at = complaint.lastIndexOf(', got ');
  const got = at < 0 ? '' : complaint.slice(at);
  const last = String(path[path.length - 1]);
  const field = typeof path[path.length - 1] === 'number' ? String(path[path.length - 2]) : last;
  const expected: Record<string, string> = {
    time: 'must be a Slurm time limit: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. "4:00:00")',
    memory: 'must be a Slurm memory size: a number with K, M, G or T (e.g. "16G")',
    extra: 'must be an sbatch flag starting with "-" (e.g. "--constraint=a100")',
  };
  return `${expected[field] ?? complaint.slice(0, complaint.length - got.length)}${got}`;
}
