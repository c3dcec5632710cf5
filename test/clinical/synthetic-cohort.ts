import { promises as fs } from 'fs';
import * as path from 'path';
import { patientIndices, type PatientIndices, type ViewPhase } from '../../nodes/clinical/patient-indices';
import { viewDiscs, type ViewDiscsResult } from '../../nodes/clinical/simpson';
import { COL_SPACING_MM, ROW_SPACING_MM } from '../../nodes/camus/synth/sector';
import { encodeNpy } from '../../nodes/data/npy';
import { syntheticGroundTruths, type NativeMask } from '../rig/synthetic-masks';

/**
 * The synthetic patients the Simpson cross-check runs on (their native ground truths, as synth-camus
 * draws them), written as `<patient>_<view>_<phase>.npy` for the Python reference
 * (test/fixtures/clinical/reference_simpson.py), and measured with cardigan's own code.
 */

export const REFERENCE_COHORT = { seed: 1, patients: 8 };
export const SPACING: [number, number] = [ROW_SPACING_MM, COL_SPACING_MM];
export const FIXTURE = path.join(__dirname, '..', 'fixtures', 'clinical', 'reference-volumes.json');
export const SCRIPT = path.join(__dirname, '..', 'fixtures', 'clinical', 'reference_simpson.py');

export interface ReferenceVolumes {
  spacing: [number, number];
  discs: number;
  patients: Record<string, { edv: number; esv: number; ef: number; lengths: Record<ViewPhase, number> } | null>;
}

export function cohortMasks(): NativeMask[] {
  return syntheticGroundTruths(REFERENCE_COHORT.patients, REFERENCE_COHORT.seed);
}

/** `patient0001 2CH ED` → `patient0001_2CH_ED`. */
function stem(mask: NativeMask): string {
  return mask.name.split(' ').join('_');
}

export async function writeMasks(masks: readonly NativeMask[], dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const mask of masks) await fs.writeFile(path.join(dir, `${stem(mask)}.npy`), encodeNpy(mask.data, [mask.rows, mask.cols]));
}

/** cardigan's indices of each patient. */
export function ourIndices(masks: readonly NativeMask[]): Map<string, PatientIndices> {
  const byPatient = new Map<string, Partial<Record<ViewPhase, ViewDiscsResult>>>();
  for (const mask of masks) {
    const [patient, view, phase] = mask.name.split(' ');
    const views = byPatient.get(patient) ?? {};
    views[`${view}_${phase}` as ViewPhase] = viewDiscs(mask.data, mask.rows, mask.cols, SPACING);
    byPatient.set(patient, views);
  }
  return new Map([...byPatient].map(([patient, views]) => [patient, patientIndices(views)]));
}
