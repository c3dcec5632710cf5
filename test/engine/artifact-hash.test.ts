import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hashArtifact, isSafeRelativePath } from '../../engine/keys/artifact-hash';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-artifact-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

test('the artifact hash is sha256 over sorted "path NUL file-sha256 LF" lines (checked against Python)', async () => {
  await fs.mkdir(path.join(dir, 'weights', 'deep'), { recursive: true });
  await fs.writeFile(path.join(dir, 'model.json'), '{"a":1}');
  await fs.writeFile(path.join(dir, 'weights', 'w1.bin'), Buffer.from([0, 1, 2, 255]));
  await fs.writeFile(path.join(dir, 'weights', 'deep', 'z.txt'), '');
  await fs.writeFile(path.join(dir, 'B.txt'), 'upper case sorts first');
  const manifest = await hashArtifact(dir);
  expect(Object.keys(manifest.files)).toEqual(['B.txt', 'model.json', 'weights/deep/z.txt', 'weights/w1.bin']);
  expect(manifest.files['weights/w1.bin'].size).toBe(4);
  const python = references.run(
    `
import hashlib, os, sys
root = sys.argv[1]
files = sorted(os.path.relpath(os.path.join(d, f), root).replace(os.sep, '/') for d, _, fs in os.walk(root) for f in fs)
h = hashlib.sha256()
for rel in files:
    h.update(rel.encode() + b'\\0' + hashlib.sha256(open(os.path.join(root, rel), 'rb').read()).hexdigest().encode() + b'\\n')
print(h.hexdigest())
`,
    [{ input: dir }],
  );
  expect(manifest.hash).toBe(python.trim());
});

test('the hash depends on names and bytes only, not on mtimes', async () => {
  await fs.writeFile(path.join(dir, 'a.txt'), 'x');
  const first = await hashArtifact(dir);
  await fs.utimes(path.join(dir, 'a.txt'), new Date(0), new Date(0));
  expect((await hashArtifact(dir)).hash).toBe(first.hash);
  await fs.rename(path.join(dir, 'a.txt'), path.join(dir, 'b.txt'));
  expect((await hashArtifact(dir)).hash).not.toBe(first.hash);
});

test('links cannot be cached', async () => {
  await fs.writeFile(path.join(dir, 'a.txt'), 'x');
  await fs.symlink('/etc/hostname', path.join(dir, 'link'));
  await expect(hashArtifact(dir)).rejects.toThrow(`${path.join(dir, 'link')} is not a regular file (links and devices cannot be cached)`);
});

test.each([
  ['a/b.txt', true],
  ['../x', false],
  ['a/../../x', false],
  ['/etc/passwd', false],
  ['a//b', false],
  ['a\\..\\b', false],
  ['nul\0byte', false],
  ['./a', false],
])('isSafeRelativePath(%j) is %s', (relative, safe) => {
  expect(isSafeRelativePath(relative)).toBe(safe);
});
