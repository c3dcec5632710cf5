import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { gunzipSync, gzipSync } from 'zlib';
import { filesUnder } from './call';

/**
 * The committed references of one test file: test/fixtures/references/<suite>.json holds each call's
 * stdout, and test/fixtures/references/<suite>/<key>/<arg>[/<file>].gz what it wrote (gzipped: the
 * generated masks and distance maps compress a hundredfold). Written only by `npm run fixtures`.
 */
export const REFERENCES = path.resolve(__dirname, '..', '..', 'fixtures', 'references');

/** What the call wrote into one output argument: a file (`file`) or a folder's files by relative path. */
export type Written = { file: Buffer } | { files: Record<string, Buffer> };

export interface Reference {
  /** The program's first line, for a reader of the JSON. */
  program: string;
  stdout: string;
  /** Output argument position → a file, or the files of a folder (their relative paths). */
  outputs: Record<string, 'file' | string[]>;
}

export interface SuiteReferences {
  /** Where the references were made: the Python and its packages' versions. */
  made: string;
  calls: Record<string, Reference>;
}

export function suiteName(testFile: string): string {
  return path.relative(path.resolve(__dirname, '..', '..'), testFile).replace(/\.test\.ts$/, '');
}

export function indexFile(suite: string): string {
  return path.join(REFERENCES, `${suite}.json`);
}

export function readSuite(suite: string): SuiteReferences | undefined {
  const file = indexFile(suite);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SuiteReferences) : undefined;
}

function outputFile(suite: string, key: string, arg: string, rel: string): string {
  return path.join(REFERENCES, suite, key, rel === '' ? `${arg}.gz` : path.join(arg, `${rel}.gz`));
}

/** The committed output of a call's argument. */
export function readWritten(suite: string, key: string, arg: string, kind: 'file' | string[]): Written {
  if (kind === 'file') return { file: gunzipSync(readFileSync(outputFile(suite, key, arg, ''))) };
  return { files: Object.fromEntries(kind.map((rel) => [rel, gunzipSync(readFileSync(outputFile(suite, key, arg, rel)))])) };
}

/** What Python wrote at `target` (a file or a folder). */
export function captureWritten(target: string): Written {
  if (!statSync(target).isDirectory()) return { file: readFileSync(target) };
  return { files: Object.fromEntries(filesUnder(target).map((rel) => [rel, readFileSync(path.join(target, rel))])) };
}

/** Puts a committed output where the test expects Python to have written it. */
export function placeWritten(target: string, written: Written): void {
  if ('file' in written) {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, written.file);
    return;
  }
  for (const [rel, data] of Object.entries(written.files)) {
    mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
    writeFileSync(path.join(target, rel), data);
  }
}

export function sameWritten(a: Written, b: Written): boolean {
  if ('file' in a || 'file' in b) return 'file' in a && 'file' in b && a.file.equals(b.file);
  const names = Object.keys(a.files);
  return names.length === Object.keys(b.files).length && names.every((rel) => b.files[rel] !== undefined && a.files[rel].equals(b.files[rel]));
}

export interface Recorded {
  reference: Reference;
  written: Record<string, Written>;
}

/** Replaces a suite's committed references with those recorded in this run (stale ones go). */
export function writeSuite(suite: string, made: string, recorded: Map<string, Recorded>): void {
  rmSync(path.join(REFERENCES, suite), { recursive: true, force: true });
  const calls: Record<string, Reference> = {};
  for (const [key, { reference, written }] of [...recorded].sort(([a], [b]) => (a < b ? -1 : 1))) {
    calls[key] = reference;
    for (const [arg, output] of Object.entries(written)) {
      const files = 'file' in output ? { '': output.file } : output.files;
      for (const [rel, data] of Object.entries(files)) {
        const file = outputFile(suite, key, arg, rel);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, gzipSync(data, { level: 9 }));
      }
    }
  }
  mkdirSync(path.dirname(indexFile(suite)), { recursive: true });
  writeFileSync(indexFile(suite), `${JSON.stringify({ made, calls }, null, 1)}\n`);
}
