import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { referencePython } from '../rig/python';
import { describeWith } from '../rig/tools/presence';
import { cohortMasks, FIXTURE, SCRIPT, SPACING, writeMasks, type ReferenceVolumes } from './synthetic-cohort';

/**
 * Reruns the Python Simpson reference (numpy + scipy) on freshly drawn synthetic ground truths and
 * checks that it still gives the committed reference-volumes.json, so the fixture the Python-free
 * test compares with is what the script computes today. Runs where the reference Python is present
 * (test/rig/tools), and always in strict mode.
 */

describeWith('python')('the Python Simpson reference, live', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'simpson-live-'));
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('the Python reference recomputes the committed volumes', async () => {
    await writeMasks(cohortMasks(), path.join(dir, 'masks'));
    const out = path.join(dir, 'reference.json');
    execFileSync(referencePython(), [SCRIPT, path.join(dir, 'masks'), String(SPACING[0]), String(SPACING[1]), out]);
    const live = JSON.parse(await fs.readFile(out, 'utf8')) as ReferenceVolumes;
    const committed = JSON.parse(await fs.readFile(FIXTURE, 'utf8')) as ReferenceVolumes;
    expect(Object.keys(live.patients)).toEqual(Object.keys(committed.patients));
    for (const [patient, want] of Object.entries(committed.patients)) {
      const got = live.patients[patient];
      expect({ patient, edv: got?.edv, esv: got?.esv }).toEqual({
        patient,
        edv: expect.closeTo(want?.edv ?? NaN, 9),
        esv: expect.closeTo(want?.esv ?? NaN, 9),
      });
    }
  }, 120_000);
});
