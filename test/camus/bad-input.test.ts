import { promises as fs } from 'fs';
import * as path from 'path';
import { node as loadCamus, type LoadCamusParams } from '../../nodes/types/load-camus/node';
import { makeTestContext } from '../rig/node-context';
import { withDefaults } from '../rig/params';
import { cohortCopy } from './cohort';
import { tempDir } from './fixtures';

/** Each damaged input fails load-camus with a message naming the file and the fix, and leaves no output. */
async function expectFailure(params: Partial<LoadCamusParams>, message: string | RegExp): Promise<void> {
  const ctx = await makeTestContext({ nodeId: 'camus' });
  await expect(loadCamus.run(ctx, {}, withDefaults(loadCamus, { size: 32, ...params }))).rejects.toThrow(message);
  await expect(fs.readdir(path.join(ctx.root, 'out'))).rejects.toThrow(/ENOENT/);
}

async function edit(file: string, change: (text: string) => string): Promise<void> {
  await fs.writeFile(file, change(await fs.readFile(file, 'latin1')), 'latin1');
}

describe('load-camus refuses damaged MetaImage data', () => {
  it('a truncated .raw', async () => {
    const root = await cohortCopy('mhd');
    const raw = path.join(root, 'training', 'patient0002', 'patient0002_4CH_ES.raw');
    const { size } = await fs.stat(raw);
    await fs.truncate(raw, size - 1000);
    await expectFailure(
      { source: root },
      new RegExp(
        `^${raw}: truncated: .*patient0002_4CH_ES\\.mhd declares \\d+×\\d+ MET_UCHAR \\(\\d+ bytes\\) but the data has ${size - 1000} bytes — the file was cut short; extract or download it again$`,
      ),
    );
  });

  it('a header whose size does not match its data', async () => {
    const root = await cohortCopy('mhd');
    const header = path.join(root, 'training', 'patient0001', 'patient0001_2CH_ED_gt.mhd');
    await edit(header, (text) => text.replace(/DimSize = (\d+) (\d+)/, (_, cols, rows) => `DimSize = ${cols} ${Number(rows) - 10}`));
    await expectFailure(
      { source: root },
      /patient0001_2CH_ED_gt\.raw: size mismatch: .*patient0001_2CH_ED_gt\.mhd declares .* — DimSize or ElementType in the header does not describe this data/,
    );
  });

  it('an unknown element type', async () => {
    const root = await cohortCopy('mhd');
    const header = path.join(root, 'training', 'patient0003', 'patient0003_2CH_ES.mhd');
    await edit(header, (text) => text.replace('MET_UCHAR', 'MET_COMPLEX'));
    await expectFailure(
      { source: root },
      `${header}: unknown ElementType MET_COMPLEX; cardigan reads MET_UCHAR, MET_SHORT, MET_USHORT, MET_INT, MET_FLOAT, MET_DOUBLE (re-save the image with one of them)`,
    );
  });
});

describe('load-camus refuses damaged NIfTI data', () => {
  it('corrupt gzip', async () => {
    const root = await cohortCopy('nifti');
    const file = path.join(root, 'database_nifti', 'patient0004', 'patient0004_2CH_ED.nii.gz');
    const bytes = await fs.readFile(file);
    await fs.writeFile(file, bytes.subarray(0, bytes.length >> 1));
    await expectFailure({ source: root }, new RegExp(`^${file}: corrupt gzip data \\(.*\\); the file is damaged — extract or download it again$`));
  });

  it('a bad magic', async () => {
    const root = await cohortCopy('nifti');
    const file = path.join(root, 'database_nifti', 'patient0001', 'patient0001_4CH_ED_gt.nii.gz');
    const zlib = await import('zlib');
    const raw = zlib.gunzipSync(await fs.readFile(file));
    raw.write('nope', 344, 'latin1');
    await fs.writeFile(file, zlib.gzipSync(raw));
    await expectFailure({ source: root }, `${file}: bad NIfTI magic "nope" (expected "n+1"); the file is not NIfTI-1 or is damaged`);
  });
});

describe('load-camus refuses incomplete patients', () => {
  it('an image without its _gt mask', async () => {
    const root = await cohortCopy('nifti');
    const mask = path.join(root, 'database_nifti', 'patient0003', 'patient0003_4CH_ED_gt.nii.gz');
    await fs.rm(mask);
    await expectFailure({ source: root }, `${mask}: missing ground truth for patient0003_4CH_ED.nii.gz; every image needs its _gt mask`);
  });

  it('a patient folder missing a view', async () => {
    const root = await cohortCopy('mhd');
    const dir = path.join(root, 'training', 'patient0002');
    for (const name of await fs.readdir(dir)) if (name.includes('_2CH_')) await fs.rm(path.join(dir, name));
    await expectFailure(
      { source: root },
      `${dir}: the 2CH view is missing (no patient0002_2CH_ED.mhd); every patient needs the views you load — restore its files, or load fewer views (views: [4CH])`,
    );
  });

  it('a non-numeric value in an Info cfg', async () => {
    const root = await cohortCopy('nifti');
    const cfg = path.join(root, 'database_nifti', 'patient0001', 'Info_4CH.cfg');
    await edit(cfg, (text) => text.replace(/^EF: .*$/m, 'EF: sixty'));
    await expectFailure({ source: root }, `${cfg}:7: EF should be a number, got "sixty"`);
  });

  it('a mask with labels outside 0..3', async () => {
    const root = await cohortCopy('mhd');
    const raw = path.join(root, 'training', 'patient0001', 'patient0001_4CH_ES_gt.raw');
    const bytes = await fs.readFile(raw);
    bytes[1234] = 7;
    await fs.writeFile(raw, bytes);
    await expectFailure(
      { source: root },
      /patient0001_4CH_ES_gt\.mhd: value 7 at row \d+, col \d+ is not a label; masks hold 0 background, 1 LV, 2 myocardium, 3 LA/,
    );
  });

  it('a split list naming a patient that is not there', async () => {
    const root = await cohortCopy('nifti');
    const list = path.join(root, 'database_split', 'subgroup_validation.txt');
    await fs.appendFile(list, 'patient0099\n');
    await expectFailure(
      { source: root, split: 'official' },
      new RegExp(`^${list}:\\d+: the official split lists patient0099, which has no folder under ${root}; restore the patient or fix the list$`),
    );
  });
});

describe('load-camus refuses a folder that is not CAMUS', () => {
  it('names the folder, both layouts and what it found', async () => {
    const root = await tempDir();
    await fs.mkdir(path.join(root, 'images'));
    await fs.writeFile(path.join(root, 'notes.txt'), 'x');
    await expectFailure(
      { source: root },
      `${root}: neither CAMUS release layout — expected training/patientXXXX/ with .mhd files (original release) or database_nifti/patientXXXX/ with .nii.gz files (2023 release), but it holds images, notes.txt. Point source at the folder that contains training/ or database_nifti/.`,
    );
  });

  it('says when the path does not exist', async () => {
    await expectFailure({ source: '/nonexistent/camus' }, "/nonexistent/camus: no such folder; point load-camus's source at a CAMUS download");
  });

  it('accepts training/ itself as the root of the original release', async () => {
    const root = await cohortCopy('mhd');
    const ctx = await makeTestContext();
    await loadCamus.run(ctx, {}, withDefaults(loadCamus, { source: path.join(root, 'training'), size: 16, views: ['2CH'], phases: ['ED'] }));
    expect((await fs.readdir(path.join(ctx.root, 'out'))).sort()).toEqual(['preview', 'test', 'train', 'trainval', 'val']);
  });
});
