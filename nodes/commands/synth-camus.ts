import { promises as fs } from 'fs';
import { parseArgs } from 'util';
import type { Command } from '../../engine/cli';
import { UsageError, UserError } from '../../engine';
import { generateCohort, type SynthFormat } from '../camus/synth/generate';

/** `cardigan synth-camus`: writes a synthetic CAMUS cohort in the layout of either release. */

const USAGE = `Usage: cardigan synth-camus --out DIR [--patients N] [--format nifti|mhd] [--seed S] [--sequences]

Writes N synthetic patients (default 500) in the exact layout of a CAMUS release:
  --format nifti   2023 release: DIR/database_nifti/patientXXXX/patientXXXX_{2CH,4CH}_{ED,ES}[_gt].nii.gz,
                   Info_{2CH,4CH}.cfg, and the split lists DIR/database_split/subgroup_{training,validation,testing}.txt
  --format mhd     original release: DIR/training/ and DIR/testing/ (last 10 % of patients) with
                   patientXXXX_{2CH,4CH}_{ED,ES}[_gt].mhd + .raw, Info_{2CH,4CH}.cfg, and 10-fold lists
                   DIR/listSubGroups/subGroup{k}_{training,validation,testing}.txt
  --seed S         seed of the cohort (default 1); patient k depends only on the seed and k
  --sequences      also write the ED→ES sequences (_sequence.mhd, or _half_sequence[_gt].nii.gz):
                   NbFrame (10..22) frames per view, so about 8× the time and disk
Images are apical B-mode views at CAMUS's native spacing (0.154 mm rows × 0.308 mm columns), masks
label 0 background, 1 LV, 2 myocardium, 3 LA. Point load-camus's source at DIR to read it back.`;

export const command: Command = {
  name: 'synth-camus',
  summary: 'write a synthetic CAMUS cohort in the layout of either release',
  usage: USAGE,
  async run(args) {
    const values = parseSynthArgs(args);
    if (values.out === undefined) throw new UsageError(`synth-camus needs --out DIR\n${USAGE}`);
    const patients = Number(values.patients);
    if (!Number.isInteger(patients) || patients < 1 || patients > 9999)
      throw new UsageError(`--patients takes a whole number from 1 to 9999, got "${values.patients}"`);
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed takes a whole number, got "${values.seed}"`);
    if (values.format !== 'nifti' && values.format !== 'mhd') throw new UsageError(`--format is nifti or mhd, got "${values.format}"`);
    const format: SynthFormat = values.format;
    const existing = await fs.readdir(values.out).catch(() => [] as string[]);
    if (existing.length > 0) throw new UserError(`${values.out}: not empty; synth-camus writes into an empty or new folder`);
    const started = Date.now();
    let lastReport = 0;
    await generateCohort({
      outDir: values.out,
      patients,
      seed,
      format,
      sequences: values.sequences,
      onProgress: (done, total) => {
        if (done === total || Date.now() - lastReport > 2000) {
          lastReport = Date.now();
          process.stderr.write(`  ${done}/${total} patients\n`);
        }
      },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `wrote ${patients} synthetic patients (${format === 'nifti' ? '2023 release, NIfTI' : 'original release, MetaImage'}, seed ${seed}) to ${values.out} in ${seconds} s\n`,
    );
    return 0;
  },
};

/** The command line, or a usage error that repeats the usage. */
function parseSynthArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        out: { type: 'string' },
        patients: { type: 'string', default: '500' },
        format: { type: 'string', default: 'nifti' },
        seed: { type: 'string', default: '1' },
        sequences: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
}
