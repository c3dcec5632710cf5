import { promises as fs } from 'fs';
import * as path from 'path';
import { readCfg } from '../../nodes/camus/cfg';
import { readImage } from '../../nodes/data/image-file';
import { generateCohort } from '../../nodes/camus/synth/generate';
import { ViewSimulator } from '../../nodes/camus/synth/frame';
import { drawPatient, VIEWS } from '../../nodes/camus/synth/patient';
import { COL_SPACING_MM, insideSector, ROW_SPACING_MM } from '../../nodes/camus/synth/sector';
import { Random } from '../../nodes/data/random';
import { command } from '../../nodes/commands/synth-camus';
import { CARDIGAN, cardigan as main } from '../../nodes/cardigan';
import { tempDir } from './fixtures';

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(path.relative(root, full));
    }
  }
  await walk(root);
  return out.sort();
}

const perView = (id: string, ext: string, extra: string[] = []) =>
  ['2CH', '4CH'].flatMap((v) => [
    `Info_${v}.cfg`,
    ...['ED', 'ES'].flatMap((p) => [`${id}_${v}_${p}${ext}`, `${id}_${v}_${p}_gt${ext}`]),
    ...extra.map((e) => `${id}_${v}_${e}`),
  ]);

describe('synth-camus layouts', () => {
  it('writes the 2023 release layout: database_nifti/ and the database_split/ lists', async () => {
    const out = path.join(await tempDir(), 'camus');
    await generateCohort({ outDir: out, patients: 3, seed: 2, format: 'nifti' });
    const files = await listTree(out);
    const patient = files.filter((f) => f.startsWith('database_nifti/patient0002/')).map((f) => path.basename(f));
    expect(patient).toEqual(perView('patient0002', '.nii.gz').sort());
    expect(files.filter((f) => !f.startsWith('database_nifti/'))).toEqual([
      'cardigan-synthetic.json',
      'database_split/subgroup_testing.txt',
      'database_split/subgroup_training.txt',
      'database_split/subgroup_validation.txt',
    ]);
    const lists = await Promise.all(
      ['training', 'validation', 'testing'].map(async (s) =>
        (await fs.readFile(path.join(out, 'database_split', `subgroup_${s}.txt`), 'utf8')).trim().split('\n'),
      ),
    );
    expect(lists.map((l) => l.length)).toEqual([1, 1, 1]);
    expect(lists.flat().sort()).toEqual(['patient0001', 'patient0002', 'patient0003']);
  });

  it('writes half sequences whose frames agree with the ED/ES files and the cfg', async () => {
    const out = path.join(await tempDir(), 'camus');
    await generateCohort({ outDir: out, patients: 1, seed: 2, format: 'nifti', sequences: true });
    const dir = path.join(out, 'database_nifti', 'patient0001');
    expect((await fs.readdir(dir)).sort()).toEqual(perView('patient0001', '.nii.gz', ['half_sequence.nii.gz', 'half_sequence_gt.nii.gz']).sort());
    const info = await readCfg(path.join(dir, 'Info_4CH.cfg'));
    const sequence = await readImage(path.join(dir, 'patient0001_4CH_half_sequence_gt.nii.gz'));
    const [frames, rows, cols] = sequence.shape;
    expect(frames).toBe(info.nbFrame);
    expect(info).toMatchObject({ ed: 1, es: frames });
    const ed = await readImage(path.join(dir, 'patient0001_4CH_ED_gt.nii.gz'));
    const es = await readImage(path.join(dir, 'patient0001_4CH_ES_gt.nii.gz'));
    expect(Array.from(sequence.data.subarray(0, rows * cols))).toEqual(Array.from(ed.data));
    expect(Array.from(sequence.data.subarray((frames - 1) * rows * cols))).toEqual(Array.from(es.data));
  });

  it('writes the original release layout: training/ and testing/, MetaImage pairs, fold lists', async () => {
    const out = path.join(await tempDir(), 'camus');
    await generateCohort({ outDir: out, patients: 10, seed: 2, format: 'mhd' });
    const files = await listTree(out);
    const patient = files.filter((f) => f.startsWith('training/patient0001/')).map((f) => path.basename(f));
    const pairs = perView('patient0001', '.mhd').flatMap((f) => (f.endsWith('.mhd') ? [f, f.replace('.mhd', '.raw')] : [f]));
    expect(patient).toEqual(pairs.sort());
    expect([...new Set(files.map((f) => f.split('/').slice(0, 2).join('/')).filter((f) => f.startsWith('testing/')))]).toEqual(['testing/patient0010']);
    const folds = files.filter((f) => f.startsWith('listSubGroups/'));
    expect(folds.length).toBe(30);
    for (let k = 1; k <= 10; k++) {
      const read = async (s: string) => (await fs.readFile(path.join(out, 'listSubGroups', `subGroup${k}_${s}.txt`), 'utf8')).trim().split('\n');
      const [train, val, test] = await Promise.all(['training', 'validation', 'testing'].map(read));
      expect([train.length, val.length, test.length]).toEqual([8, 1, 1]);
      expect(new Set([...train, ...val, ...test]).size).toBe(10);
    }
    const header = await fs.readFile(path.join(out, 'training', 'patient0001', 'patient0001_2CH_ED.mhd'), 'utf8');
    expect(header).toMatch(/^ObjectType = Image\nNDims = 2\nBinaryData = True\nBinaryDataByteOrderMSB = False\nCompressedData = False\n/);
    expect(header).toContain('ElementSpacing = 0.308 0.154\n');
    expect(header).toContain('ElementDataFile = patient0001_2CH_ED.raw\n');
  });

  it('repeats a patient exactly for the same seed, whatever the cohort size', async () => {
    const [small, large] = [path.join(await tempDir(), 'a'), path.join(await tempDir(), 'b')];
    await generateCohort({ outDir: small, patients: 1, seed: 9, format: 'mhd' });
    await generateCohort({ outDir: large, patients: 2, seed: 9, format: 'mhd' });
    const file = path.join('training', 'patient0001', 'patient0001_4CH_ES.raw');
    expect((await fs.readFile(path.join(small, file))).equals(await fs.readFile(path.join(large, file)))).toBe(true);
  });
});

describe('synthetic anatomy and appearance', () => {
  const patients = Array.from({ length: 8 }, (_, k) => drawPatient(4, k + 1));
  const frames = patients.flatMap((patient) =>
    VIEWS.map((view) => {
      const spec = patient.views[view];
      const simulator = new ViewSimulator(spec.sector, spec.anatomy, spec.look, new Random(spec.seed));
      return { patient, view, spec, ed: simulator.frame(0), es: simulator.frame(1) };
    }),
  );
  const count = (mask: Uint8Array, label: number) => mask.reduce((n, v) => n + (v === label ? 1 : 0), 0);

  it('draws native sizes and spacing like CAMUS, EF in 20–75 % and the three quality grades', () => {
    for (const { spec, patient } of frames) {
      // Depth 109–174 mm (an adult heart needs it) and a 74–90° fan at 0.154 × 0.308 mm per pixel.
      expect(spec.sector.rows).toBeGreaterThanOrEqual(705);
      expect(spec.sector.rows).toBeLessThanOrEqual(1130);
      expect(spec.sector.cols).toBeGreaterThanOrEqual(415);
      expect(spec.sector.cols).toBeLessThanOrEqual(800);
      expect(patient.ejectionFraction).toBeGreaterThanOrEqual(0.2);
      expect(patient.ejectionFraction).toBeLessThanOrEqual(0.75);
    }
    const qualities = new Set(Array.from({ length: 40 }, (_, k) => drawPatient(4, k + 1).views['2CH'].quality));
    expect([...qualities].sort()).toEqual(['Good', 'Medium', 'Poor']);
  });

  it('shrinks the LV cavity at ES by the area the EF implies and thickens the wall', () => {
    for (const { patient, ed, es, spec } of frames) {
      const ratio = count(es.mask, 1) / count(ed.mask, 1);
      expect(ratio).toBeCloseTo((1 - patient.ejectionFraction) ** 0.6, 1);
      const wallAt = (mask: Uint8Array) => {
        // Myocardium pixels across the row through the middle of the cavity.
        const { rows, cols } = spec.sector;
        let sum = 0;
        let n = 0;
        for (let k = 0; k < rows * cols; k++) if (mask[k] === 1) (sum += Math.floor(k / cols)), n++;
        const row = Math.round(sum / n);
        return mask.subarray(row * cols, (row + 1) * cols).reduce((c, v) => c + (v === 2 ? 1 : 0), 0);
      };
      expect(wallAt(es.mask)).toBeGreaterThan(wallAt(ed.mask));
    }
  });

  it('renders dark blood and brighter myocardium, with less contrast in poorer views', () => {
    const contrast: Record<string, number[]> = { Good: [], Medium: [], Poor: [] };
    for (const { ed, spec } of frames) {
      const mean = (label: number) => {
        let sum = 0;
        let n = 0;
        ed.mask.forEach((v, k) => {
          if (v === label) (sum += ed.image[k]), n++;
        });
        return sum / n;
      };
      expect(mean(2)).toBeGreaterThan(mean(1) + 20);
      contrast[spec.quality].push(mean(2) - mean(1));
    }
    const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const present = (['Good', 'Medium', 'Poor'] as const).filter((q) => contrast[q].length > 0).map((q) => average(contrast[q]));
    expect(present.length).toBeGreaterThanOrEqual(2);
    expect([...present].sort((a, b) => b - a)).toEqual(present);
  });

  it('keeps the image black outside the fan and every label inside it', () => {
    for (const { ed, spec } of frames) {
      const { rows, cols } = spec.sector;
      for (let r = 0; r < rows; r += 3) {
        for (let c = 0; c < cols; c += 3) {
          const point = { x: (c - spec.sector.apexCol) * COL_SPACING_MM, y: r * ROW_SPACING_MM };
          const inside = insideSector(spec.sector, point, 0.5);
          const outside = !insideSector(spec.sector, point, -0.5);
          if (outside && ed.image[r * cols + c] !== 0) throw new Error(`pixel ${r},${c} outside the fan is ${ed.image[r * cols + c]}`);
          if (!inside && ed.mask[r * cols + c] !== 0) throw new Error(`label ${ed.mask[r * cols + c]} at ${r},${c} on or beyond the fan's edge`);
        }
      }
    }
  });
});

describe('cardigan synth-camus', () => {
  it('writes a cohort and reports it', async () => {
    const out = path.join(await tempDir(), 'c');
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (writes.push(String(chunk)), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await command.run(['--out', out, '--patients', '2', '--format', 'mhd', '--seed', '3'], CARDIGAN)).toBe(0);
    } finally {
      spy.mockRestore();
      err.mockRestore();
    }
    expect(writes.join('')).toMatch(/^wrote 2 synthetic patients \(original release, MetaImage, seed 3\) to .* in [\d.]+ s\n$/);
    expect(JSON.parse(await fs.readFile(path.join(out, 'cardigan-synthetic.json'), 'utf8'))).toEqual({
      generator: 'cardigan synth-camus',
      patients: 2,
      seed: 3,
      format: 'mhd',
      sequences: false,
    });
  });

  it('refuses a bad format and a non-empty folder', async () => {
    const stderr: string[] = [];
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
    try {
      expect(await main(['synth-camus', '--out', '/tmp/x', '--format', 'dicom'])).toBe(2);
      const dir = await tempDir();
      await fs.writeFile(path.join(dir, 'x'), '');
      expect(await main(['synth-camus', '--out', dir])).toBe(1);
    } finally {
      err.mockRestore();
    }
    expect(stderr.join('')).toContain('error: --format is nifti or mhd, got "dicom"');
    expect(stderr.join('')).toContain('not empty; synth-camus writes into an empty or new folder');
  });
});
