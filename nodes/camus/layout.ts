import { promises as fs, type Stats } from 'fs';
import * as path from 'path';
import { exists, UserError } from '../../engine';
import { LAYOUTS, PATIENT_PATTERN, type Release, type ReleaseLayout, SYNTHETIC_MARKER } from './release';

/**
 * Finds which CAMUS release a folder holds and lists its patients. The folder may be the release's
 * root (the one holding training/ or database_nifti/) or that patient folder itself.
 */

export interface PatientEntry {
  id: string;
  /** Absolute path of the patient's folder. */
  dir: string;
  /** The folder it sits in: training, testing or database_nifti. */
  folder: string;
}

export interface CamusLayout {
  root: string;
  release: Release;
  /** True for a cohort written by cardigan's synthetic generator (it leaves a marker file at the root). */
  synthetic: boolean;
  layout: ReleaseLayout;
  patients: PatientEntry[];
}

async function subfolders(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function patientsIn(root: string, layout: ReleaseLayout): Promise<PatientEntry[]> {
  const found: PatientEntry[] = [];
  for (const folder of layout.patientFolders) {
    for (const name of await subfolders(path.join(root, folder))) {
      if (PATIENT_PATTERN.test(name)) found.push({ id: name, dir: path.join(root, folder, name), folder });
    }
  }
  return found;
}

function describeFolder(names: string[]): string {
  if (names.length === 0) return 'it is empty';
  const shown = names.slice(0, 6).join(', ');
  return `it holds ${shown}${names.length > 6 ? `, … (${names.length} entries)` : ''}`;
}

export async function detectLayout(source: string): Promise<CamusLayout> {
  const resolved = path.resolve(source);
  let stat: Stats;
  try {
    stat = await fs.stat(resolved);
  } catch {
    throw new UserError(
      `${source}: no such folder; point load-camus's source at a CAMUS download (the folder holding training/ or database_nifti/), or use source: {synthetic: {patients: N}}`,
    );
  }
  if (!stat.isDirectory())
    throw new UserError(`${source}: not a folder; point source at the folder holding training/ (original release) or database_nifti/ (2023 release)`);
  const candidates = [resolved];
  // Pointing at training/ or database_nifti/ itself is taken to mean its parent.
  if (LAYOUTS.some((layout) => layout.patientFolders.includes(path.basename(resolved)))) candidates.push(path.dirname(resolved));
  for (const root of candidates) {
    for (const layout of LAYOUTS) {
      const patients = await patientsIn(root, layout);
      if (patients.length > 0) return { root, release: layout.release, layout, patients, synthetic: await exists(path.join(root, SYNTHETIC_MARKER)) };
    }
  }
  const names = (await fs.readdir(resolved)).sort();
  throw new UserError(
    `${source}: neither CAMUS release layout — expected training/patientXXXX/ with .mhd files (original release) or database_nifti/patientXXXX/ with .nii.gz files (2023 release), but ${describeFolder(names)}. Point source at the folder that contains training/ or database_nifti/.`,
  );
}
