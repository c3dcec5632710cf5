import * as path from 'path';

/**
 * A path as the report's header shows it: relative to the working directory the report was made in,
 * so that a page passed around does not print the layout of the machine that made it (`cache`, not
 * `/home/someone/cardigan/cache`). Outside that directory it climbs with `..`; the provenance section
 * keeps the full record (host, run, versions).
 */
export function shownPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(cwd, file);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}
