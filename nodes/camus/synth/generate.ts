import { promises as fs } from 'fs';
import * as path from 'path';
import { deriveSeed, Random } from '../../data/random';
import { foldListFile, layoutOf, officialListFile, type Release, type Subset, SYNTHETIC_MARKER } from '../release';
import { drawPatient, patientId } from './patient';
import { writePatient } from './write-patient';

/**
 * A synthetic CAMUS cohort on disk, in the layout of either release: `mhd` writes the original release
 * (training/ and testing/ with MetaImage files, 10-fold lists in listSubGroups/), `nifti` the 2023
 * release (database_nifti/ with .nii.gz files, the official split in database_split/).
 *
 * One deliberate difference from the original release: testing/ patients have their `_gt` masks (the
 * release withheld them), so every synthetic patient is labelled. Delete them to mimic the release;
 * the loader then skips unlabelled testing patients.
 */

export type SynthFormat = 'nifti' | 'mhd';

export interface SynthOptions {
  outDir: string;
  patients: number;
  seed: number;
  format: SynthFormat;
  /** Also write the ED→ES sequences (NbFrame frames per view; slow and large). */
  sequences?: boolean;
  /** gzip level for .nii.gz (default 1: the images are speckle and barely compress anyway). */
  level?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface SynthResult {
  root: string;
  release: Release;
  patients: string[];
}

export function releaseOf(format: SynthFormat): Release {
  return format === 'mhd' ? 'original' : '2023';
}

/** Fraction of patients in the testing (and validation) subsets, as in CAMUS: 50 of 500. */
const HELD_OUT = 0.1;

function heldOut(patients: number): number {
  return patients >= 3 ? Math.max(1, Math.round(patients * HELD_OUT)) : 0;
}

async function writeList(file: string, ids: readonly string[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, ids.map((id) => `${id}\n`).join(''));
}

/** 2023 layout: training / validation / testing lists, 8:1:1, drawn by the seed. */
async function writeOfficialSplit(root: string, ids: readonly string[], seed: number): Promise<void> {
  const shuffled = new Random(deriveSeed(seed, 'official-split')).shuffle(ids);
  const n = heldOut(ids.length);
  const subsets: Record<Subset, string[]> = {
    testing: shuffled.slice(0, n).sort(),
    validation: shuffled.slice(n, 2 * n).sort(),
    training: shuffled.slice(2 * n).sort(),
  };
  for (const [subset, list] of Object.entries(subsets) as Array<[Subset, string[]]>) {
    await writeList(path.join(root, layoutOf('2023').splitFolder, officialListFile(subset)), list);
  }
}

/** Original layout: up to 10 folds; fold k tests on group k and validates on group k+1. */
async function writeFolds(root: string, ids: readonly string[], seed: number): Promise<void> {
  if (ids.length < 3) return;
  const folds = Math.min(10, ids.length);
  const shuffled = new Random(deriveSeed(seed, 'folds')).shuffle(ids);
  const groups = Array.from({ length: folds }, (_, g) => shuffled.filter((_, k) => k % folds === g).sort());
  for (let k = 1; k <= folds; k++) {
    const test = groups[k - 1];
    const val = groups[k % folds];
    const train = groups.filter((_, g) => g !== k - 1 && g !== k % folds).flat().sort();
    const folder = path.join(root, layoutOf('original').foldFolders[0]);
    await writeList(path.join(folder, foldListFile(k, 'training')), train);
    await writeList(path.join(folder, foldListFile(k, 'validation')), val);
    await writeList(path.join(folder, foldListFile(k, 'testing')), test);
  }
}

export async function generateCohort(options: SynthOptions): Promise<SynthResult> {
  const release = releaseOf(options.format);
  const layout = layoutOf(release);
  const ids = Array.from({ length: options.patients }, (_, k) => patientId(k + 1));
  // The original release keeps its last 10 % of patients (451..500 of 500) in testing/.
  const testingFrom = release === 'original' ? options.patients - heldOut(options.patients) : options.patients;
  // Two patients in flight: one renders on the main thread while the other's files compress and write.
  let inFlight: Promise<void> | undefined;
  for (let k = 0; k < options.patients; k++) {
    if (options.signal?.aborted) throw new Error('synthetic CAMUS generation was cancelled');
    const folder = k >= testingFrom ? layout.patientFolders[1] : layout.patientFolders[0];
    const patient = drawPatient(options.seed, k + 1);
    const writing = writePatient(path.join(options.outDir, folder, patient.id), layout, patient, { sequences: options.sequences ?? false, level: options.level ?? 1 });
    // Its failure is reported when it is awaited below; this only keeps Node from calling it unhandled meanwhile.
    writing.catch(() => undefined);
    if (inFlight !== undefined) await inFlight;
    options.onProgress?.(k, options.patients);
    inFlight = writing;
  }
  await inFlight;
  options.onProgress?.(options.patients, options.patients);
  if (release === '2023') await writeOfficialSplit(options.outDir, ids, options.seed);
  else await writeFolds(options.outDir, ids, options.seed);
  const marker = { generator: 'cardigan synth-camus', patients: options.patients, seed: options.seed, format: options.format, sequences: options.sequences ?? false };
  await fs.writeFile(path.join(options.outDir, SYNTHETIC_MARKER), JSON.stringify(marker, null, 1) + '\n');
  return { root: options.outDir, release, patients: ids };
}
