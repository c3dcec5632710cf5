import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Paths of committed fixtures, and a temp-folder helper for tests that damage copies of them. */

export const REPO = path.resolve(__dirname, '..', '..');
export const NIFTI_FIXTURES = path.join(REPO, 'test', 'fixtures', 'nifti');
export const MHD_FIXTURES = path.join(REPO, 'test', 'fixtures', 'mhd');

/**
 * The genuine CAMUS MetaImage pair, committed with its source, licence (CC BY-NC-SA 4.0) and citation in
 * test/fixtures/camus-mhd-real/README.md, so that a fresh clone tests the reader on real data.
 */
export const REAL_CAMUS_MHD = path.join(REPO, 'test', 'fixtures', 'camus-mhd-real', 'patient0039_4CH_ES.mhd');

export function realCamusMhd(): string {
  return REAL_CAMUS_MHD;
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
