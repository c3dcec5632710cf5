import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { externalFingerprint, resolveExperimentPath } from '../../engine/keys/external-fingerprint';
import { SETTLED_MS } from '../../engine/keys/fingerprint-memo';

async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'ext-fp-'));
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), content);
  }
  return root;
}

describe('externalFingerprint', () => {
  it('is the same for two copies of a folder, whatever their location and times', async () => {
    const a = await tree({ 'p1/x.cfg': 'ED: 1', 'p1/y.raw': Buffer.alloc(200_000, 7) });
    const b = await tree({ 'p1/y.raw': Buffer.alloc(200_000, 7), 'p1/x.cfg': 'ED: 1' });
    await fs.utimes(path.join(b, 'p1/x.cfg'), new Date(2000, 1, 1), new Date(2000, 1, 1));
    expect(await externalFingerprint(a)).toBe(await externalFingerprint(b));
  });

  it('changes when a file is edited, added or renamed', async () => {
    const base: Record<string, string | Buffer> = { 'a.cfg': 'ED: 1', 'b.raw': Buffer.alloc(100_000, 1) };
    const reference = await externalFingerprint(await tree(base));
    const tail = Buffer.alloc(100_000, 1);
    tail[99_999] = 2;
    const variants: Array<Record<string, string | Buffer>> = [
      { ...base, 'a.cfg': 'ED: 2' },
      { ...base, 'b.raw': tail },
      { ...base, 'c.txt': '' },
      { 'a2.cfg': 'ED: 1', 'b.raw': Buffer.alloc(100_000, 1) },
    ];
    for (const changed of variants) {
      expect(await externalFingerprint(await tree(changed))).not.toBe(reference);
    }
  });

  it('fingerprints a single file and a missing path', async () => {
    const root = await tree({ 'one.npy': 'abc' });
    expect(await externalFingerprint(path.join(root, 'one.npy'))).toMatch(/^[0-9a-f]{64}$/);
    expect(await externalFingerprint(path.join(root, 'absent'))).toBe('missing');
  });
});

describe('externalFingerprint with a memo folder', () => {
  const FILES = { 'p1/a.cfg': 'ED: 1', 'p1/b.raw': Buffer.alloc(150_000, 3), 'p2/c.cfg': 'ES: 9' };
  // Files younger than SETTLED_MS are never remembered, so the trees are made once and left to settle.
  const roots: string[] = [];
  beforeAll(async () => {
    for (let k = 0; k < 3; k++) roots.push(await tree(FILES));
    await new Promise((resolve) => setTimeout(resolve, SETTLED_MS + 50));
  });

  async function memoOf(memoDir: string): Promise<{ file: string; files: Record<string, [number, number, number, string]> }> {
    const [name] = await fs.readdir(memoDir);
    const file = path.join(memoDir, name);
    return { file, files: (JSON.parse(await fs.readFile(file, 'utf8')) as { files: Record<string, [number, number, number, string]> }).files };
  }

  it('gives the fingerprint taken without one, wherever the memo lives', async () => {
    const root = roots[0];
    const plain = await externalFingerprint(root);
    const memoDir = await tree({});
    expect(await externalFingerprint(root, memoDir)).toBe(plain);
    expect(await externalFingerprint(root, memoDir)).toBe(plain);
    expect(Object.keys((await memoOf(memoDir)).files).sort()).toEqual(['p1/a.cfg', 'p1/b.raw', 'p2/c.cfg']);
  });

  it("takes an unchanged file's hash from the memo, and reads a file again once its size or times change", async () => {
    const root = roots[1];
    const memoDir = await tree({});
    const reference = await externalFingerprint(root, memoDir);
    // Planting a wrong hash for an unchanged file shows that the memo, not the file, was used...
    const memo = await memoOf(memoDir);
    memo.files['p1/b.raw'][3] = 'planted';
    await fs.writeFile(memo.file, JSON.stringify({ format: 'cardigan-fingerprint-memo/1', root, files: memo.files }));
    expect(await externalFingerprint(root, memoDir)).not.toBe(reference);
    // ...and an edit that keeps the size is still seen, because the file's times changed.
    const edited = Buffer.alloc(150_000, 3);
    edited[0] = 4;
    await fs.writeFile(path.join(root, 'p1/b.raw'), edited);
    expect(await externalFingerprint(root, memoDir)).toBe(await externalFingerprint(root));
    expect(await externalFingerprint(root)).not.toBe(reference);
  });

  it('does not remember a file changed moments ago, whose next same-size edit could keep its times', async () => {
    const root = await tree(FILES);
    const memoDir = await tree({});
    await externalFingerprint(root, memoDir);
    expect(await fs.readdir(memoDir)).toEqual([]);
  });

  it('ignores a damaged memo file and forgets files that are gone', async () => {
    const root = roots[2];
    const memoDir = await tree({});
    await externalFingerprint(root, memoDir);
    const { file } = await memoOf(memoDir);
    await fs.writeFile(file, '{ torn');
    expect(await externalFingerprint(root, memoDir)).toBe(await externalFingerprint(root));
    await fs.rm(path.join(root, 'p2'), { recursive: true });
    expect(await externalFingerprint(root, memoDir)).toBe(await externalFingerprint(root));
    expect(Object.keys((await memoOf(memoDir)).files).sort()).toEqual(['p1/a.cfg', 'p1/b.raw']);
  });
});

test('a written path is taken from the experiment file, or from an environment variable as $NAME', () => {
  const file = path.join(os.tmpdir(), 'exp', 'paper.yaml');
  expect(resolveExperimentPath(file, 'data/camus')).toBe(path.join(os.tmpdir(), 'exp', 'data', 'camus'));
  expect(resolveExperimentPath(file, '/data/camus')).toBe('/data/camus');
  const env = { CAMUS_ROOT: '/mnt/CAMUS', REL: 'downloads' };
  expect(resolveExperimentPath(file, '$CAMUS_ROOT', env)).toBe('/mnt/CAMUS');
  expect(resolveExperimentPath(file, '$CAMUS_ROOT/database_nifti', env)).toBe('/mnt/CAMUS/database_nifti');
  // A relative value is the shell user's: from the working directory.
  expect(resolveExperimentPath(file, '$REL', env)).toBe(path.resolve('downloads'));
  expect(() => resolveExperimentPath(file, '$MISSING/x', env)).toThrow(
    '$MISSING/x: the environment variable MISSING is not set (set it to the folder it should name)',
  );
  // Not a variable: a folder that happens to start with $ and a space.
  expect(resolveExperimentPath(file, '$ x')).toBe(path.join(os.tmpdir(), 'exp', '$ x'));
});
