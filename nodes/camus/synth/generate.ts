import { existsSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
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
  /** Generator threads (default: one per core, at most 2). Patients are the same whatever the count. */
  workers?: number;
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
    const train = groups
      .filter((_, g) => g !== k - 1 && g !== k % folds)
      .flat()
      .sort();
    const folder = path.join(root, layoutOf('original').foldFolders[0]);
    await writeList(path.join(folder, foldListFile(k, 'training')), train);
    await writeList(path.join(folder, foldListFile(k, 'validation')), val);
    await writeList(path.join(folder, foldListFile(k, 'testing')), test);
  }
}

/** What one thread writes: some of the patients of a cohort. */
export interface PatientBatch {
  outDir: string;
  format: SynthFormat;
  seed: number;
  /** 1-based patient numbers to write. */
  patients: number[];
  /** Patients from this number on go to testing/ (original layout). */
  testingFrom: number;
  sequences: boolean;
  level: number;
}

/** Writes a batch in this thread, two patients in flight: one renders while the other's files compress and write. */
export async function writePatients(batch: PatientBatch, onDone: (patient: number) => void, signal?: AbortSignal): Promise<void> {
  const layout = layoutOf(releaseOf(batch.format));
  let inFlight: { patient: number; writing: Promise<void> } | undefined;
  for (const index of batch.patients) {
    if (signal?.aborted) throw new Error('synthetic CAMUS generation was cancelled');
    const folder = index >= batch.testingFrom ? layout.patientFolders[1] : layout.patientFolders[0];
    const patient = drawPatient(batch.seed, index);
    const writing = writePatient(path.join(batch.outDir, folder, patient.id), layout, patient, { sequences: batch.sequences, level: batch.level });
    // Its failure is reported when it is awaited; this only keeps Node from calling it unhandled meanwhile.
    writing.catch(() => undefined);
    if (inFlight !== undefined) {
      await inFlight.writing;
      onDone(inFlight.patient);
    }
    inFlight = { patient: index, writing };
  }
  if (inFlight !== undefined) {
    await inFlight.writing;
    onDone(inFlight.patient);
  }
}

/**
 * Worker threads need compiled JavaScript: from the TypeScript sources (under jest) the batch runs in
 * this thread instead, with the same result, since every patient depends only on the seed and its number.
 */
function workerScript(): string | undefined {
  const script = path.join(__dirname, 'generate-worker.js');
  return __filename.endsWith('.js') && existsSync(script) ? script : undefined;
}

function runInWorkers(script: string, batches: PatientBatch[], onDone: (patient: number) => void, signal?: AbortSignal): Promise<void> {
  const workers = batches.map((batch) => new Worker(script, { workerData: batch }));
  const stopAll = () => workers.forEach((worker) => void worker.terminate());
  signal?.addEventListener('abort', stopAll, { once: true });
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          worker.on('message', (patient: number) => onDone(patient));
          worker.on('error', (error) => {
            stopAll();
            reject(error);
          });
          worker.on('exit', (code) =>
            code === 0
              ? resolve()
              : reject(new Error(signal?.aborted ? 'synthetic CAMUS generation was cancelled' : `a generator thread stopped with code ${code}`)),
          );
        }),
    ),
  ).then(() => signal?.removeEventListener('abort', stopAll));
}

export async function generateCohort(options: SynthOptions): Promise<SynthResult> {
  const release = releaseOf(options.format);
  const ids = Array.from({ length: options.patients }, (_, k) => patientId(k + 1));
  // The original release keeps its last 10 % of patients (451..500 of 500) in testing/.
  const testingFrom = release === 'original' ? options.patients - heldOut(options.patients) + 1 : options.patients + 1;
  const threads = Math.max(1, Math.min(options.workers ?? defaultWorkers(), options.patients));
  const batches = Array.from(
    { length: threads },
    (_, w): PatientBatch => ({
      outDir: options.outDir,
      format: options.format,
      seed: options.seed,
      patients: ids.map((_, k) => k + 1).filter((n) => (n - 1) % threads === w),
      testingFrom,
      sequences: options.sequences ?? false,
      level: options.level ?? 1,
    }),
  );
  let done = 0;
  const onDone = () => options.onProgress?.(++done, options.patients);
  const script = workerScript();
  if (threads > 1 && script !== undefined) await runInWorkers(script, batches, onDone, options.signal);
  else for (const batch of batches) await writePatients(batch, onDone, options.signal);
  if (release === '2023') await writeOfficialSplit(options.outDir, ids, options.seed);
  else await writeFolds(options.outDir, ids, options.seed);
  const marker = {
    generator: 'cardigan synth-camus',
    patients: options.patients,
    seed: options.seed,
    format: options.format,
    sequences: options.sequences ?? false,
  };
  await fs.writeFile(path.join(options.outDir, SYNTHETIC_MARKER), JSON.stringify(marker, null, 1) + '\n');
  return { root: options.outDir, release, patients: ids };
}

/** One generator thread per core, at most two: the machines cardigan targets have two. */
function defaultWorkers(): number {
  return Math.min(2, os.availableParallelism());
}
