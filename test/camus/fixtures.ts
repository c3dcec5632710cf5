import { existsSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Paths of committed fixtures, and a temp-folder helper for tests that damage copies of them. */

export const REPO = path.resolve(__dirname, '..', '..');
export const NIFTI_FIXTURES = path.join(REPO, 'test', 'fixtures', 'nifti');
export const MHD_FIXTURES = path.join(REPO, 'test', 'fixtures', 'mhd');

/**
 * The genuine CAMUS MetaImage pair kept in the project's shared folder, which lies beside the checkout
 * (main, CI) or two levels up (helper worktrees); CARDIGAN_SHARED overrides.
 */
export function realCamusMhd(): string {
  const candidates = [process.env.CARDIGAN_SHARED, path.join(REPO, '..', 'shared'), path.join(REPO, '..', '..', 'shared')];
  for (const shared of candidates) {
    if (shared === undefined) continue;
    const file = path.join(shared, 'fixtures', 'camus-mhd-real', 'patient0039_4CH_ES.mhd');
    if (existsSync(file)) return file;
  }
  throw new Error(`shared/fixtures/camus-mhd-real not found beside ${REPO}; set CARDIGAN_SHARED to the shared folder`);
}

export async function tempDir(prefix = 'cardigan-camus-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** A[row, col] = 10 row + col over 5 rows × 7 cols: the pattern every format fixture holds. */
export function pattern(offset = 0, rows = 5, cols = 7): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.push(10 * r + c + offset);
  return out;
}
