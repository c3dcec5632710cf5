import { createHash } from 'crypto';
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

/**
 * One call of the reference Python, described so that it can be recognised again without Python: an
 * argument is a plain string, a file or folder the call reads (`input`: it counts by content, not by
 * its temporary path; `readsAlso` names files it finds from it, such as a MetaImage's data file) or one
 * it writes (`output`: its contents are part of the reference).
 */
export type PythonArg = string | { input: string; readsAlso?: string[] } | { output: string };

export interface PythonCall {
  /** The program: inline code (`python -c`) or a script file (its contents count). */
  program: { code: string } | { script: string };
  args: PythonArg[];
  stdin?: string;
}

/** Every file under a folder (or the file itself, as ''), with forward slashes, sorted. */
export function filesUnder(root: string): string[] {
  if (!statSync(root).isDirectory()) return [''];
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      else out.push(`${prefix}${entry.name}`);
    }
  };
  walk(root, '');
  return out;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A file's or folder's content hash: names and bytes, not where it lies or when it was written. */
export function contentDigest(target: string): string {
  return sha256(
    filesUnder(target)
      .map((rel) => `${rel}\0${sha256(readFileSync(rel === '' ? target : path.join(target, rel)))}\n`)
      .join(''),
  );
}

/** The call's key: program, arguments (inputs by content, outputs by position) and stdin. */
export function callKey(call: PythonCall): string {
  const program = 'code' in call.program ? call.program.code : `script ${path.basename(call.program.script)}\n${readFileSync(call.program.script, 'utf8')}`;
  const args = call.args.map((arg) =>
    typeof arg === 'string' ? arg : 'input' in arg ? { input: [arg.input, ...(arg.readsAlso ?? [])].map(contentDigest) } : { output: true },
  );
  return sha256(JSON.stringify([program, args, call.stdin ?? null])).slice(0, 16);
}

/** The command-line arguments Python gets. */
export function argv(call: PythonCall): string[] {
  const args = call.args.map((arg) => (typeof arg === 'string' ? arg : 'input' in arg ? arg.input : arg.output));
  return 'code' in call.program ? ['-c', call.program.code, ...args] : [call.program.script, ...args];
}

/** The first line of the program, to make a committed reference readable. */
export function programSummary(call: PythonCall): string {
  if ('script' in call.program) return path.basename(call.program.script);
  return call.program.code.trim().split('\n')[0].slice(0, 120);
}
