import { createHash } from 'crypto';
import { promises as fs, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { projectRoot } from '../cache/package-info';
import type { ReportSource } from './report-source';
import { versions } from '../cache/versions';

/**
 * A report page's inputs, hashed, so that a rerun that changed nothing does not rebuild and rewrite a
 * page of several MB (most of a fully cached `cardigan run`). The page is a function of what the
 * cache holds for the experiment (its report source: every node's key, output hashes, provenance,
 * the last run that did something), of the working directory (the header shows paths relative to
 * it) and of the code that draws it. The hash is kept in the page itself, as a comment after
 * `</html>`, so that a page edited or replaced by hand is rewritten too.
 */

const MARK = '<!-- cardigan report inputs ';
const END = ' -->\n';
/** Enough of the page's end to hold the comment. */
const TAIL_BYTES = 256;

let code: string | undefined;

/**
 * The code that draws a page: cardigan's and tfjs's versions, and the size and mtime of every file of
 * engine/ and nodes/ beside this one (sources or dist/), so that an edit to a section, rebuilt or run
 * from the sources, redraws the page without a version bump. About 300 stats, a few ms, once.
 */
function codeStamp(): string {
  if (code !== undefined) return code;
  const root = path.resolve(__dirname, '..', '..');
  const hash = createHash('sha256').update(JSON.stringify(versions()));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else {
        const stat = statSync(file);
        hash.update(`${path.relative(root, file)}\0${stat.size}\0${stat.mtimeMs}\n`);
      }
    }
  };
  for (const folder of ['engine', 'nodes']) walk(path.join(root, folder));
  hash.update(`lock\0${lockStamp()}`);
  code = hash.digest('hex');
  return code;
}

/** The installed dependencies (vega, resvg… draw the charts) change with package-lock.json. */
function lockStamp(): string {
  try {
    const stat = statSync(path.join(projectRoot(), 'package-lock.json'));
    return `${stat.size}\0${stat.mtimeMs}`;
  } catch {
    return 'none';
  }
}

export function reportStamp(source: ReportSource, cwd: string): string {
  return createHash('sha256')
    .update(JSON.stringify({ code: codeStamp(), cwd, source }))
    .digest('hex');
}

/** The page with its stamp appended. */
export function stampedPage(page: string, stamp: string): string {
  return `${page}${MARK}${stamp}${END}`;
}

/** The stamp of the page at `file`, or undefined when there is no page or it carries none. */
export async function pageStamp(file: string): Promise<string | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const tail = buffer.toString('utf8');
    const start = tail.lastIndexOf(MARK);
    if (start < 0 || !tail.endsWith(END)) return undefined;
    return tail.slice(start + MARK.length, tail.length - END.length);
  } finally {
    await handle.close();
  }
}
