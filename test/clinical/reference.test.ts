import { readFileSync } from 'fs';
import { pearson } from '../../nodes/clinical/agreement';
import { drawPatient } from '../../nodes/camus/synth/patient';
import type { PatientIndices } from '../../nodes/clinical/patient-indices';
import { cohortMasks, FIXTURE, ourIndices, REFERENCE_COHORT, type ReferenceVolumes } from './synthetic-cohort';

/**
 * cardigan's Simpson volumes against the independent Python reference's (reference_simpson.py, its
 * output committed as reference-volumes.json, so this needs no Python; reference-live.test.ts reruns
 * it) on the synthetic cohort's native ground truths; and what those volumes say about the cohort.
 */

/** Relative agreement asked of EDV and ESV (ties between equally distant landmark pixels may go either way). */
const VOLUME_TOLERANCE = 0.005;

let ours: Map<string, PatientIndices>;
const reference = JSON.parse(readFileSync(FIXTURE, 'utf8')) as ReferenceVolumes;

beforeAll(() => {
  ours = ourIndices(cohortMasks());
});

function measured(patient: string): Extract<PatientIndices, { ok: true }> {
  const result = ours.get(patient);
  if (result === undefined || !result.ok) throw new Error(`${patient} not measured: ${JSON.stringify(result)}`);
  return result;
}

describe("Simpson's biplane against the Python reference on synthetic ground truths", () => {
  it(`agrees on every patient's EDV and ESV within ${100 * VOLUME_TOLERANCE} % and EF within 0.3 points`, () => {
    const patients = Object.keys(reference.patients);
    expect(patients).toHaveLength(REFERENCE_COHORT.patients);
    let worst = 0;
    for (const patient of patients) {
      const want = reference.patients[patient];
      expect(want).not.toBeNull();
      if (want === null) continue;
      const got = measured(patient).indices;
      for (const name of ['edv', 'esv'] as const) {
        const error = Math.abs(got[name] - want[name]) / want[name];
        worst = Math.max(worst, error);
        expect({ patient, name, ok: error < VOLUME_TOLERANCE }).toEqual({ patient, name, ok: true });
      }
      expect(Math.abs(got.ef - want.ef)).toBeLessThan(0.3);
    }
    process.stdout.write(`simpson vs python reference: worst relative volume difference ${worst.toExponential(2)}\n`);
  });
});

describe('the synthetic cohort seen through its clinical indices', () => {
  it('has adult end-diastolic volumes (CAMUS: roughly 90–200 mL) and plausible end-systolic ones', () => {
    const edv = [...ours.keys()].map((p) => measured(p).indices.edv);
    const esv = [...ours.keys()].map((p) => measured(p).indices.esv);
    expect(Math.min(...edv)).toBeGreaterThan(35);
    expect(Math.max(...edv)).toBeLessThan(260);
    expect(edv.reduce((s, v) => s + v, 0) / edv.length).toBeGreaterThan(70);
    expect(Math.min(...esv)).toBeGreaterThan(10);
  });

  it('measures the EF each patient was drawn with (r > 0.99, within 1 point)', () => {
    const patients = [...ours.keys()];
    const drawn = patients.map((_p, k) => 100 * drawPatient(REFERENCE_COHORT.seed, k + 1).ejectionFraction);
    const ef = patients.map((p) => measured(p).indices.ef);
    expect(pearson(drawn, ef)).toBeGreaterThan(0.99);
    ef.forEach((value, k) => expect(Math.abs(value - drawn[k])).toBeLessThan(1));
  });
});
