import { promises as fs } from 'fs';
import * as path from 'path';
import { node as loadCamus, type LoadCamusParams } from '../../nodes/types/load-camus/node';
import { readDataset, type Dataset } from '../../nodes/data/dataset-artifact';
import { decodePng } from '../../nodes/data/png';
import { cardigan } from '../rig/cli';
import { ExperimentTree } from '../rig/experiment-tree';
import { makeTestContext, type TestContext } from '../rig/node-context';
import { withDefaults } from '../rig/params';
import { cohort } from './cohort';
import { realCamusMhd, tempDir } from './fixtures';

async function run(params: Partial<LoadCamusParams>, seed = 1): Promise<{ ctx: TestContext; read: (port: string) => Promise<Dataset> }> {
  const ctx = await makeTestContext({ nodeId: 'camus', seed });
  await loadCamus.run(ctx, {}, withDefaults(loadCamus, params));
  return { ctx, read: (port) => readDataset(path.join(ctx.root, 'out', port)) };
}

const patientsOf = (dataset: Dataset) => [...new Set(dataset.manifest.items.map((i) => i.patient))].sort();

describe('load-camus on a synthetic 2023-release cohort', () => {
  let result: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    result = await run({ source: await cohort('nifti', 4), size: 64 });
  });

  it('splits 4 patients 2/1/1 by patient (the paper split, scaled) with 4 images each', async () => {
    const [train, val, test, trainval] = await Promise.all(['train', 'val', 'test', 'trainval'].map(result.read));
    expect([train, val, test].map((d) => d.manifest.items.length)).toEqual([8, 4, 4]);
    const all = [...patientsOf(train), ...patientsOf(val), ...patientsOf(test)];
    expect(new Set(all).size).toBe(4);
    expect(trainval.manifest.items.map((i) => i.id)).toEqual([...train.manifest.items, ...val.manifest.items].map((i) => i.id));
    expect(trainval.manifest.items.filter((i) => i.split === 'val').length).toBe(4);
  });

  it('stores 64×64 images in 0..1 and masks holding the four labels, with spacing scaled', async () => {
    const train = await result.read('train');
    expect(train.manifest.size).toEqual([64, 64]);
    const images = train.images ?? new Float32Array(0);
    expect(Math.min(...images)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...images)).toBeLessThanOrEqual(1);
    expect([...new Set(train.masks)].sort()).toEqual([0, 1, 2, 3]);
    const item = train.manifest.items[0];
    expect(item.spacing[0]).toBeCloseTo((item.nativeSpacing[0] * item.nativeSize[0]) / 64, 6);
    expect(item.nativeSpacing).toEqual([0.154, 0.308]);
    expect(item.source).toBe('synthetic');
    expect(['Good', 'Medium', 'Poor']).toContain(item.extra?.quality);
  });

  it('writes a PNG preview', async () => {
    const png = await fs.readFile(path.join(result.ctx.root, 'out', 'preview', 'preview.png'));
    expect(() => decodePng(png, 'preview.png')).toThrow(/colour PNG/);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('gives the same bytes for the same seed and another split for another seed', async () => {
    const again = await run({ source: await cohort('nifti', 4), size: 64 });
    const [a, b] = await Promise.all([result, again].map((r) => fs.readFile(path.join(r.ctx.root, 'out', 'train', 'images.npy'))));
    expect(a.equals(b)).toBe(true);
    const other = await run({ source: await cohort('nifti', 4), size: 64 }, 99);
    const splitOf = async (r: typeof result) => (await r.read('test')).manifest.items.map((i) => i.patient);
    expect(await splitOf(other)).not.toEqual(await splitOf(result));
  });

  it('uses the official split lists of the release', async () => {
    const root = await cohort('nifti', 4);
    const official = await run({ source: root, size: 32, split: 'official' });
    const listed = (await fs.readFile(path.join(root, 'database_split', 'subgroup_testing.txt'), 'utf8')).trim().split('\n');
    expect(patientsOf(await official.read('test'))).toEqual(listed);
  });

  it('filters views, phases and quality', async () => {
    const root = await cohort('nifti', 4);
    const only = await run({ source: root, size: 32, views: ['4CH'], phases: ['ES'], quality: ['Good'] });
    const items = [...(await only.read('train')).manifest.items, ...(await only.read('test')).manifest.items, ...(await only.read('val')).manifest.items];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.view === '4CH' && i.phase === 'ES' && i.extra?.quality === 'Good')).toBe(true);
  });
});

describe('load-camus on a release on disk, through the engine', () => {
  it('reads a path relative to the experiment file, and goes stale when a file of the release is edited', async () => {
    const tree = await ExperimentTree.create({ 'exp.yaml': 'nodes:\n  camus: { type: load-camus, params: { source: data/camus, size: 32 } }\n' });
    try {
      await fs.cp(await cohort('nifti', 4), tree.path('data/camus'), { recursive: true });
      const cache = tree.path('cache');
      // The working directory is the repository, not the experiment's folder: only resolvePath finds data/camus.
      expect(await cardigan('run', tree.path('exp.yaml'), '--cache', cache, '--backend', 'cpu')).toMatchObject({ code: 0 });
      expect((await cardigan('plan', tree.path('exp.yaml'), '--cache', cache)).stdout).toMatch(/^ {2}cached .* camus$/m);
      await fs.appendFile(tree.path('data/camus/database_nifti/patient0002/Info_4CH.cfg'), 'Comment: re-read\n');
      const plan = await cardigan('plan', tree.path('exp.yaml'), '--cache', cache, '--explain');
      expect(plan.stdout).toMatch(/^ {2}stale {4}[0-9a-f]{10} {2}camus\n {6}external data changed: data\/camus$/m);
    } finally {
      await tree.remove();
    }
  });
});

describe('load-camus on a synthetic original-release cohort', () => {
  it('reads training/ and testing/ MetaImage files and cross-validation fold lists', async () => {
    const root = await cohort('mhd', 4);
    expect((await fs.readdir(path.join(root, 'testing'))).sort()).toEqual(['patient0004']);
    const fold = await run({ source: root, size: 32, split: { fold: 3 } });
    const listed = (await fs.readFile(path.join(root, 'listSubGroups', 'subGroup3_testing.txt'), 'utf8')).trim().split('\n');
    expect(patientsOf(await fold.read('test'))).toEqual(listed);
    expect((await fold.read('trainval')).manifest.items.length + (await fold.read('test')).manifest.items.length).toBe(16);
  });

  it('generates and loads in one go from source: {synthetic}', async () => {
    const generated = await run({ source: { synthetic: { patients: 3, seed: 4, format: 'mhd' } }, size: 32 });
    expect((await generated.read('trainval')).manifest.items.length + (await generated.read('test')).manifest.items.length).toBe(12);
    expect(generated.ctx.progressUpdates.some((u) => u.unit === 'patient')).toBe(true);
  });
});

describe('load-camus on genuine CAMUS files', () => {
  it('loads a real MetaImage pair laid out as the original release', async () => {
    const root = await tempDir();
    const dir = path.join(root, 'training', 'patient0039');
    await fs.mkdir(dir, { recursive: true });
    const real = realCamusMhd();
    for (const suffix of ['', '_gt']) {
      await fs.copyFile(real.replace(/\.mhd$/, '.raw'), path.join(dir, `patient0039_4CH_ES${suffix}.raw`));
      const header = (await fs.readFile(real, 'utf8')).replace('patient0039_4CH_ES.raw', `patient0039_4CH_ES${suffix}.raw`);
      await fs.writeFile(path.join(dir, `patient0039_4CH_ES${suffix}.mhd`), header);
    }
    await fs.writeFile(path.join(dir, 'Info_4CH.cfg'), 'ED: 1\nES: 14\nNbFrame: 14\nSex: M\nAge: 70\nImageQuality: Good\nLVef: 55.0\n');
    const loaded = await run({ source: root, views: ['4CH'], phases: ['ES'], size: 64 });
    const train = await loaded.read('train');
    expect(train.manifest.items[0]).toMatchObject({ id: 'patient0039_4CH_ES', nativeSize: [973, 590], nativeSpacing: [0.154, 0.308], source: 'real' });
    expect(train.manifest.items[0].extra).toEqual({ release: 'original', quality: 'Good', ef: 55 });
    expect([...new Set(train.masks)].sort()).toEqual([0, 1, 2]);
  });
});
