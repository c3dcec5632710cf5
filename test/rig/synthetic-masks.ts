import { Random } from '../../nodes/data/random';
import { ViewSimulator } from '../../nodes/camus/synth/frame';
import { drawPatient, VIEWS } from '../../nodes/camus/synth/patient';

/** One ground-truth label map of the synthetic CAMUS generator, at its native size. */
export interface NativeMask {
  /** e.g. `patient0001 2CH ED`. */
  name: string;
  rows: number;
  cols: number;
  data: Uint8Array;
}

/** The ground truths (ED and ES, both views) of a cohort's first patients, as synth-camus draws them. */
export function syntheticGroundTruths(patients: number, seed: number): NativeMask[] {
  const masks: NativeMask[] = [];
  for (let index = 1; index <= patients; index++) {
    const patient = drawPatient(seed, index);
    for (const view of VIEWS) {
      const spec = patient.views[view];
      const simulator = new ViewSimulator(spec.sector, spec.anatomy, spec.look, new Random(spec.seed));
      for (const t of [0, 1]) {
        masks.push({ name: `${patient.id} ${view} ${t === 0 ? 'ED' : 'ES'}`, rows: spec.sector.rows, cols: spec.sector.cols, data: simulator.frame(t).mask });
      }
    }
  }
  return masks;
}
