import { existsSync, promises as fs, readdirSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { callKey } from './call';
import { referenceMode } from './mode';
import { captureWritten, placeWritten, readSuite, readWritten, REFERENCES, sameWritten } from './store';

describe('how cross-checks get Python answers', () => {
  it('run Python live where it is present or the run is strict, replay the committed references otherwise', () => {
    expect(referenceMode({}, true, false)).toBe('live');
    expect(referenceMode({}, false, false)).toBe('replay');
    expect(referenceMode({}, false, true)).toBe('live');
    expect(referenceMode({ CARDIGAN_REFERENCES: 'record' }, true, false)).toBe('record');
    expect(referenceMode({ CARDIGAN_REFERENCES: 'replay' }, true, true)).toBe('replay');
    expect(() => referenceMode({ CARDIGAN_REFERENCES: 'regenerate' }, true, false)).toThrow(
      'CARDIGAN_REFERENCES=regenerate: expected live, replay or record (or leave it unset)',
    );
  });

  it('recognise a call by its code, its strings and the contents (not the paths) of what it reads', async () => {
    const [a, b] = await Promise.all([fs.mkdtemp(path.join(os.tmpdir(), 'ref-a-')), fs.mkdtemp(path.join(os.tmpdir(), 'ref-b-'))]);
    await fs.writeFile(path.join(a, 'x.npy'), 'same bytes');
    await fs.writeFile(path.join(b, 'x.npy'), 'same bytes');
    const code = 'print(1)';
    const key = callKey({ program: { code }, args: [{ input: path.join(a, 'x.npy') }, '3'] });
    expect(callKey({ program: { code }, args: [{ input: path.join(b, 'x.npy') }, '3'] })).toBe(key);
    expect(callKey({ program: { code }, args: [{ input: path.join(b, 'x.npy') }, '4'] })).not.toBe(key);
    expect(callKey({ program: { code: 'print(2)' }, args: [{ input: path.join(b, 'x.npy') }, '3'] })).not.toBe(key);
    expect(callKey({ program: { code }, args: [{ input: path.join(a, 'x.npy') }, '3'], stdin: 'csv' })).not.toBe(key);
    // Folders by their files' names and bytes; where outputs go does not count.
    expect(callKey({ program: { code }, args: [{ input: a }, { output: '/tmp/one' }] })).toBe(
      callKey({ program: { code }, args: [{ input: b }, { output: '/tmp/two' }] }),
    );
    await fs.writeFile(path.join(b, 'x.npy'), 'other bytes');
    expect(callKey({ program: { code }, args: [{ input: path.join(b, 'x.npy') }, '3'] })).not.toBe(key);
    expect(callKey({ program: { code }, args: [{ input: path.join(a, 'x.npy'), readsAlso: [path.join(b, 'x.npy')] }, '3'] })).not.toBe(key);
    await Promise.all([a, b].map((dir) => fs.rm(dir, { recursive: true, force: true })));
  });

  it('put back what a call wrote, file or folder, byte for byte', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ref-out-'));
    await fs.mkdir(path.join(dir, 'in', 'deep'), { recursive: true });
    await fs.writeFile(path.join(dir, 'in', 'a.png'), Buffer.from([1, 2, 3]));
    await fs.writeFile(path.join(dir, 'in', 'deep', 'b.npy'), Buffer.from([4]));
    const folder = captureWritten(path.join(dir, 'in'));
    expect('files' in folder && Object.keys(folder.files)).toEqual(['a.png', 'deep/b.npy']);
    placeWritten(path.join(dir, 'out'), folder);
    expect(sameWritten(captureWritten(path.join(dir, 'out')), folder)).toBe(true);
    const file = captureWritten(path.join(dir, 'in', 'a.png'));
    placeWritten(path.join(dir, 'new', 'c.png'), file);
    expect(await fs.readFile(path.join(dir, 'new', 'c.png'))).toEqual(Buffer.from([1, 2, 3]));
    expect(sameWritten(file, folder)).toBe(false);
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe('the committed references', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const indexes = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? indexes(path.join(dir, entry.name)) : entry.name.endsWith('.json') ? [path.join(dir, entry.name)] : [],
    );

  it('belong to test files that still cross-check against Python, and hold every file they list', () => {
    const suites = indexes(REFERENCES).map((file) => path.relative(REFERENCES, file).replace(/\.json$/, ''));
    expect(suites.length).toBeGreaterThanOrEqual(20);
    for (const suite of suites) {
      const testFile = path.join(root, 'test', `${suite}.test.ts`);
      expect({ suite, cross_checks: existsSync(testFile) && readFileSync(testFile, 'utf8').includes('pythonReferences(__filename)') }).toEqual({
        suite,
        cross_checks: true,
      });
      const references = readSuite(suite);
      expect(references?.made).toMatch(/^Python 3\.\d+\.\d+, numpy /);
      for (const [key, call] of Object.entries(references?.calls ?? {})) {
        for (const [arg, kind] of Object.entries(call.outputs)) expect(() => readWritten(suite, key, arg, kind)).not.toThrow();
      }
    }
  });
});
