import { statSync } from 'fs';
import * as path from 'path';
import { UserError } from '../../engine';
import { LAYOUTS } from './release';
import type { SynthFormat } from './synth/generate';

/**
 * Where load-camus reads from. Besides a path or a synthetic cohort, a source may defer to an
 * environment variable — `{ env: CAMUS_ROOT, otherwise: { synthetic: {...} } }` — so that one
 * experiment file runs on real CAMUS where the data is and on the synthetic stand-in elsewhere, and
 * says so where a reader looks. The variable's folder is handed to the engine as the path `$CAMUS_ROOT`
 * (engine/keys/external-fingerprint.ts resolves it), so its content joins the key and its location does not.
 */

export interface SyntheticSource {
  synthetic: { patients?: number; seed?: number; format?: SynthFormat };
}

export interface EnvSource {
  /** Name of the environment variable holding the path of a CAMUS release. */
  env: string;
  /** What to read when the variable is unset or empty. */
  otherwise: string | SyntheticSource;
}

export type CamusSource = string | SyntheticSource | EnvSource;

/** A synthetic cohort with every setting. */
export type SyntheticCohort = Required<SyntheticSource['synthetic']>;

/**
 * The synthetic cohort's settings, with the defaults its schema declares: ajv fills no defaults inside
 * a `oneOf` branch, and a synthetic source is one (also under `otherwise`), so they are applied here.
 */
export function syntheticCohort({ synthetic }: SyntheticSource): SyntheticCohort {
  return { patients: synthetic.patients ?? 500, seed: synthetic.seed ?? 1, format: synthetic.format ?? 'nifti' };
}

/** The source this process uses: a path (`$NAME` for the variable's folder) or a synthetic cohort. */
export function chooseCamusSource(source: CamusSource, env: NodeJS.ProcessEnv = process.env): string | SyntheticSource {
  if (typeof source === 'string' || 'synthetic' in source) return source;
  const value = env[source.env];
  if (value === undefined || value === '') return source.otherwise;
  checkReleaseFolder(source.env, value);
  return `$${source.env}`;
}

/**
 * Whose patients a source's are, for lineage (nodes/data/lineage.ts): `camus` for any copy or release
 * of CAMUS on disk (its patient ids are the dataset's own, the same in both releases), or
 * `synthetic:<seed>` for a synthetic cohort, whose patient n is drawn from the seed and n alone.
 */
export function cohortOf(source: string | SyntheticCohort): string {
  return typeof source === 'string' ? CAMUS_COHORT : `synthetic:${source.seed}`;
}

export const CAMUS_COHORT = 'camus';

/** One line on where the data comes from, for `plan --explain`. */
export function describeCamusSource(source: CamusSource, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = chooseCamusSource(source, env);
  const how =
    typeof chosen === 'string' ? (chosen.startsWith('$') ? `${chosen} = ${path.resolve(env[chosen.slice(1)] ?? '')}` : chosen) : describeSynthetic(chosen);
  if (typeof source === 'string' || 'synthetic' in source) return `source: ${how}`;
  return typeof chosen === 'string' && chosen === `$${source.env}` ? `source: real CAMUS from ${how}` : `source: ${how} (${source.env} is not set)`;
}

function describeSynthetic(source: SyntheticSource): string {
  const { patients, seed, format } = syntheticCohort(source);
  return `synthetic cohort of ${patients} patients (seed ${seed}, ${format})`;
}

/**
 * Refuses, before anything runs, a variable that points nowhere useful: a missing path, a file, or a
 * folder without the patient folders of either release. (load-camus checks the files themselves.)
 */
function checkReleaseFolder(name: string, value: string): void {
  const folder = path.resolve(value);
  const fix = `point ${name} at the folder holding training/ (original release) or database_nifti/ (2023 release), or unset it to use the synthetic cohort`;
  const stat = statSync(folder, { throwIfNoEntry: false });
  if (stat === undefined) throw new UserError(`${name} is set to ${value}, which does not exist: ${fix}`);
  if (!stat.isDirectory()) throw new UserError(`${name} is set to ${value}, which is not a folder: ${fix}`);
  const patientFolders = LAYOUTS.flatMap((layout) => layout.patientFolders);
  const isRelease =
    patientFolders.includes(path.basename(folder)) ||
    patientFolders.some((sub) => statSync(path.join(folder, sub), { throwIfNoEntry: false })?.isDirectory() === true);
  if (!isRelease) throw new UserError(`${name} is set to ${value}, which holds no CAMUS release (no ${patientFolders.join('/, ')}/ folder in it): ${fix}`);
}
