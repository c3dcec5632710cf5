import { agreement, type Agreement } from '../clinical/agreement';
import { INDEX_NAMES, patientIndices, VIEW_PHASES, type ClinicalIndices, type PatientIndices, type ViewPhase } from '../clinical/patient-indices';
import { DISCS, type ViewDiscsResult } from '../clinical/simpson';
import type { DatasetItem } from '../data/dataset-artifact';
import { NO_SPACING } from './test-set';

/**
 * The clinical half of the CAMUS evaluation: per test patient, EDV, ESV and EF from the ground truth's
 * four masks and from each model's, and per model their agreement with the ground truth's over the
 * patients both could be measured on. Every patient left out is listed with why.
 */

export type IndexName = keyof ClinicalIndices;

export interface Exclusion {
  patient: string;
  reason: string;
}

export interface ClinicalModel {
  id: string;
  dataset: string;
  model: string;
  /** Patients in the agreement (measured on the ground truth and on the model's masks). */
  patients: number;
  /** Patients measurable on the ground truth but not on this model's masks. */
  excluded: Exclusion[];
  agreement: Record<IndexName, Agreement>;
}

export interface ClinicalSummary {
  method: "Simpson's biplane method of discs";
  discs: number;
  /** Test patients (any view or phase). */
  patients: number;
  reference: {
    /** Patients whose ground truth gives the three indices. */
    patients: number;
    excluded: Exclusion[];
    range: Record<IndexName, { min: number; max: number; mean: number } | null>;
  };
  models: ClinicalModel[];
}

/** One line of clinical.csv: a patient measured on the ground truth (model null) or on one model's masks. */
export interface ClinicalLine {
  model: string | null;
  patient: string;
  result: PatientIndices;
}

/** An image's discs, or null when it has no pixel spacing (nothing can be measured in mm). */
export type ItemDiscs = ViewDiscsResult | null;

/** Per patient (first appearance order), the discs of its images. */
export function discsByPatient(
  items: readonly Pick<DatasetItem, 'patient' | 'view' | 'phase'>[],
  discs: readonly ItemDiscs[],
): Map<string, Partial<Record<ViewPhase, ItemDiscs>>> {
  const out = new Map<string, Partial<Record<ViewPhase, ItemDiscs>>>();
  items.forEach((item, i) => {
    const views = out.get(item.patient) ?? {};
    // A second image of the same view and phase (two acquisitions) would be ambiguous: the first is used.
    const key: ViewPhase = `${item.view}_${item.phase}`;
    if (views[key] === undefined) views[key] = discs[i];
    out.set(item.patient, views);
  });
  return out;
}

/** A patient's indices; one of its four images without pixel spacing leaves it out with NO_SPACING, whatever else it lacks. */
function indicesOf(views: Partial<Record<ViewPhase, ItemDiscs>>): PatientIndices {
  if (Object.values(views).some((d) => d === null)) return { ok: false, reasons: [NO_SPACING] };
  return patientIndices(views as Partial<Record<ViewPhase, ViewDiscsResult>>);
}

function range(values: readonly number[]): { min: number; max: number; mean: number } | null {
  if (values.length === 0) return null;
  return { min: Math.min(...values), max: Math.max(...values), mean: values.reduce((s, v) => s + v, 0) / values.length };
}

export interface ClinicalInput {
  items: readonly Pick<DatasetItem, 'patient' | 'view' | 'phase'>[];
  /** Discs of each item's ground truth (null: no pixel spacing). */
  reference: readonly ItemDiscs[];
  /** Per model, the discs of each item's prediction, with its Table 1 names. */
  models: readonly { id: string; dataset: string; model: string; discs: readonly ItemDiscs[] }[];
}

export function clinicalEvaluation(input: ClinicalInput): { summary: ClinicalSummary; lines: ClinicalLine[] } {
  const referenceByPatient = new Map([...discsByPatient(input.items, input.reference)].map(([patient, views]) => [patient, indicesOf(views)]));
  const lines: ClinicalLine[] = [...referenceByPatient].map(([patient, result]) => ({ model: null, patient, result }));
  const measured = [...referenceByPatient].filter(([, r]) => r.ok) as [string, Extract<PatientIndices, { ok: true }>][];
  const excluded = [...referenceByPatient].flatMap(([patient, r]) => (r.ok ? [] : [{ patient, reason: r.reasons.join('; ') }]));
  const models = input.models.map((m): ClinicalModel => {
    const byPatient = discsByPatient(input.items, m.discs);
    const pairs: { reference: ClinicalIndices; predicted: ClinicalIndices }[] = [];
    const modelExcluded: Exclusion[] = [];
    for (const [patient] of referenceByPatient) {
      const result = indicesOf(byPatient.get(patient) ?? {});
      lines.push({ model: m.id, patient, result });
      const reference = referenceByPatient.get(patient);
      if (reference === undefined || !reference.ok) continue;
      if (result.ok) pairs.push({ reference: reference.indices, predicted: result.indices });
      else modelExcluded.push({ patient, reason: result.reasons.join('; ') });
    }
    const agreements = Object.fromEntries(
      INDEX_NAMES.map((name) => [
        name,
        agreement(
          pairs.map((p) => p.reference[name]),
          pairs.map((p) => p.predicted[name]),
        ),
      ]),
    ) as Record<IndexName, Agreement>;
    return { id: m.id, dataset: m.dataset, model: m.model, patients: pairs.length, excluded: modelExcluded, agreement: agreements };
  });
  const summary: ClinicalSummary = {
    method: "Simpson's biplane method of discs",
    discs: DISCS,
    patients: referenceByPatient.size,
    reference: {
      patients: measured.length,
      excluded,
      range: Object.fromEntries(INDEX_NAMES.map((name) => [name, range(measured.map(([, r]) => r.indices[name]))])) as ClinicalSummary['reference']['range'],
    },
    models,
  };
  return { summary, lines };
}

/** Patients with an image of every view at every phase (the clinical indices need all four). */
export function completePatients(items: readonly Pick<DatasetItem, 'patient' | 'view' | 'phase'>[]): string[] {
  const seen = new Map<string, Set<string>>();
  for (const item of items) seen.set(item.patient, (seen.get(item.patient) ?? new Set()).add(`${item.view}_${item.phase}`));
  return [...seen].filter(([, keys]) => VIEW_PHASES.every((key) => keys.has(key))).map(([patient]) => patient);
}
