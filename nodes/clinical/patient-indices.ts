import type { Phase, View } from '../data/dataset-artifact';
import type { LandmarkFailure } from './landmarks';
import { biplaneVolume, ejectionFraction, type ViewDiscsResult } from './simpson';

/**
 * One patient's clinical indices from its four apical masks (2CH and 4CH at ED and ES): EDV and ESV
 * by Simpson's biplane (simpson.ts) and EF from them. A patient lacking a view or a phase, or with a
 * mask on which the landmarks cannot be found, gets the reasons instead of numbers, so that a table
 * can list it rather than drop it silently.
 */

export const CLINICAL_VIEWS: readonly View[] = ['2CH', '4CH'];
export const CLINICAL_PHASES: readonly Phase[] = ['ED', 'ES'];
export type ViewPhase = `${View}_${Phase}`;
export const VIEW_PHASES: readonly ViewPhase[] = CLINICAL_PHASES.flatMap((phase) => CLINICAL_VIEWS.map((view): ViewPhase => `${view}_${phase}`));

export interface ClinicalIndices {
  /** mL */
  edv: number;
  /** mL */
  esv: number;
  /** % */
  ef: number;
}

export const INDEX_NAMES: readonly (keyof ClinicalIndices)[] = ['edv', 'esv', 'ef'];

export type PatientIndices = { ok: true; indices: ClinicalIndices; lengths: Record<ViewPhase, number> } | { ok: false; reasons: string[] };

function failureText(failure: LandmarkFailure): string {
  switch (failure.reason) {
    case 'no-lv':
      return 'no LV in the mask';
    case 'no-mitral-base':
      return 'the LV does not touch the LA (no mitral base to measure from)';
    case 'no-long-axis':
      return 'the LV has no long axis (its apex is the middle of the mitral base)';
  }
}

export function viewPhaseText(key: ViewPhase): string {
  return key.replace('_', ' ');
}

/** The indices from each view-phase's discs (undefined: the patient has no such mask). */
export function patientIndices(discs: Partial<Record<ViewPhase, ViewDiscsResult>>): PatientIndices {
  const missing = VIEW_PHASES.filter((key) => discs[key] === undefined);
  if (missing.length > 0) return { ok: false, reasons: [`no ${missing.map(viewPhaseText).join(', ')} image`] };
  const reasons: string[] = [];
  for (const key of VIEW_PHASES) {
    const result = discs[key] as ViewDiscsResult;
    if (!result.ok) reasons.push(`${viewPhaseText(key)}: ${failureText(result)}`);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const d = (key: ViewPhase) => (discs[key] as Extract<ViewDiscsResult, { ok: true }>).discs;
  const edv = biplaneVolume(d('2CH_ED'), d('4CH_ED'));
  const esv = biplaneVolume(d('2CH_ES'), d('4CH_ES'));
  if (!(edv > 0)) return { ok: false, reasons: ['EDV is 0 (the ED cavities have no width), so EF is undefined'] };
  const lengths = Object.fromEntries(VIEW_PHASES.map((key) => [key, d(key).length])) as Record<ViewPhase, number>;
  return { ok: true, indices: { edv, esv, ef: ejectionFraction(edv, esv) }, lengths };
}
