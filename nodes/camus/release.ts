import type { Phase, View } from '../data/dataset-artifact';

/**
 * File layouts of the two CAMUS releases, used by both the reader and the synthetic generator so that
 * the two cannot drift apart.
 *
 * Original release (MetaImage):
 *   training/patient0001/patient0001_2CH_ED.mhd (+ .raw), ..._2CH_ED_gt.mhd, ..._2CH_sequence.mhd,
 *   Info_2CH.cfg, Info_4CH.cfg; testing/patient0451/...; cross-validation lists (as the CAMUS
 *   tooling, vital, reads them) in listSubGroups/subGroup{k}_{training,validation,testing}.txt.
 * 2023 release (NIfTI):
 *   database_nifti/patient0001/patient0001_2CH_ED.nii.gz, ..._2CH_ED_gt.nii.gz,
 *   ..._2CH_half_sequence(_gt).nii.gz, Info_2CH.cfg; the official split in
 *   database_split/subgroup_{training,validation,testing}.txt, one patient id per line.
 */

export type Release = 'original' | '2023';

/** Written at the root of every synthetic cohort: says how it was made, and tells the loader it is synthetic. */
export const SYNTHETIC_MARKER = 'cardigan-synthetic.json';
export type Subset = 'training' | 'validation' | 'testing';
export const SUBSETS: readonly Subset[] = ['training', 'validation', 'testing'];

export interface ReleaseLayout {
  release: Release;
  /** Folders under the root that hold patient folders. */
  patientFolders: readonly string[];
  extension: string;
  imageFile(patient: string, view: View, phase: Phase, groundTruth: boolean): string;
  sequenceFile(patient: string, view: View, groundTruth: boolean): string;
  /** Folder of the official split lists, relative to the root. */
  splitFolder: string;
  /** Folders that may hold cross-validation lists subGroup{k}_{subset}.txt. */
  foldFolders: readonly string[];
}

export function infoFile(view: View): string {
  return `Info_${view}.cfg`;
}

export function officialListFile(subset: Subset): string {
  return `subgroup_${subset}.txt`;
}

export function foldListFile(fold: number, subset: Subset): string {
  return `subGroup${fold}_${subset}.txt`;
}

export const ORIGINAL: ReleaseLayout = {
  release: 'original',
  patientFolders: ['training', 'testing'],
  extension: '.mhd',
  imageFile: (patient, view, phase, gt) => `${patient}_${view}_${phase}${gt ? '_gt' : ''}.mhd`,
  sequenceFile: (patient, view, gt) => `${patient}_${view}_sequence${gt ? '_gt' : ''}.mhd`,
  splitFolder: 'database_split',
  foldFolders: ['listSubGroups', 'database_split'],
};

export const RELEASE_2023: ReleaseLayout = {
  release: '2023',
  patientFolders: ['database_nifti'],
  extension: '.nii.gz',
  imageFile: (patient, view, phase, gt) => `${patient}_${view}_${phase}${gt ? '_gt' : ''}.nii.gz`,
  sequenceFile: (patient, view, gt) => `${patient}_${view}_half_sequence${gt ? '_gt' : ''}.nii.gz`,
  splitFolder: 'database_split',
  foldFolders: ['database_split', 'listSubGroups'],
};

export const LAYOUTS: readonly ReleaseLayout[] = [ORIGINAL, RELEASE_2023];

export function layoutOf(release: Release): ReleaseLayout {
  return release === 'original' ? ORIGINAL : RELEASE_2023;
}

export const PATIENT_PATTERN = /^patient\d{4}$/;
