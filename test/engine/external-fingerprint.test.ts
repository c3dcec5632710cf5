import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { externalFingerprint } from '../../engine/external-fingerprint';

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
