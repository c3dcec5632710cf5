import { promises as fs } from 'fs';
import * as path from 'path';
import { generateCohort, type SynthFormat } from '../../nodes/camus/synth/generate';
import { tempDir } from './fixtures';

/** Small synthetic cohorts for tests, generated once per test file and copied when a test damages one. */

const made = new Map<string, Promise<string>>();

export function cohort(format: SynthFormat, patients = 4, seed = 1): Promise<string> {
  const key = `${format}/${patients}/${seed}`;
  let dir = made.get(key);
  if (dir === undefined) {
    dir = (async () => {
      const out = path.join(await tempDir('cardigan-cohort-'), 'camus');
      await generateCohort({ outDir: out, patients, seed, format });
      return out;
    })();
    made.set(key, dir);
  }
  return dir;
}

/** A private copy of a cohort that a test may damage. */
export async function cohortCopy(format: SynthFormat, patients = 4, seed = 1): Promise<string> {
  const source = await cohort(format, patients, seed);
  const target = path.join(await tempDir('cardigan-damaged-'), 'camus');
  await fs.cp(source, target, { recursive: true });
  return target;
}
