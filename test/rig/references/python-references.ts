import { execFileSync } from 'child_process';
import * as path from 'path';
import { TOOLS } from '../tools/tools';
import { strictTools } from '../tools/policy';
import { toolPresence } from '../tools/presence';
import { referencePython } from '../python';
import { argv, callKey, programSummary, type PythonArg, type PythonCall } from './call';
import { referenceMode, type ReferenceMode } from './mode';
import { captureWritten, indexFile, placeWritten, readSuite, readWritten, type Recorded, sameWritten, suiteName, writeSuite, type Written } from './store';

/**
 * Cross-checks against independent Python tools (numpy, scipy, nibabel, PIL) without needing them:
 * each call's answer is committed under test/fixtures/references, replayed where Python is missing,
 * checked against a live run where it is present, and rewritten by `npm run fixtures` (see mode.ts).
 */
export interface PythonReferences {
  /** Runs `python -c code args…` (or replays it) and returns its stdout; output arguments are written too. */
  run(code: string, args?: PythonArg[], options?: { stdin?: string }): string;
  /** The same for a script file. */
  script(file: string, args?: PythonArg[]): string;
}

const REGENERATE = `regenerate the references with Python (${TOOLS.python.install}), then npm run fixtures`;

function runLive(call: PythonCall): { stdout: string; written: Record<string, Written> } {
  const stdout = execFileSync(referencePython(), argv(call), { encoding: 'utf8', input: call.stdin, maxBuffer: 256 * 1024 * 1024 });
  const written: Record<string, Written> = {};
  call.args.forEach((arg, i) => {
    if (typeof arg !== 'string' && 'output' in arg) written[String(i)] = captureWritten(arg.output);
  });
  return { stdout, written };
}

function madeWith(): string {
  return execFileSync(
    referencePython(),
    [
      '-c',
      'import sys, numpy, scipy, nibabel, PIL; print(f"Python {sys.version.split()[0]}, numpy {numpy.__version__}, scipy {scipy.__version__}, nibabel {nibabel.__version__}, PIL {PIL.__version__}")',
    ],
    { encoding: 'utf8' },
  ).trim();
}

/** The first line where two outputs differ, both ways, for the error. */
function excerpt(live: string, committed: string): string {
  const a = live.split('\n');
  const b = committed.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? b.length - 1 : line;
  const cut = (text: string | undefined): string => JSON.stringify((text ?? '').slice(0, 120));
  return `${cut(a[at])} on line ${at + 1} where the committed reference says ${cut(b[at])}`;
}

/** The references of the test file `testFile` (pass `__filename`). */
export function pythonReferences(
  testFile: string,
  mode: ReferenceMode = referenceMode(process.env, toolPresence().python, strictTools(process.env)),
): PythonReferences {
  const suite = suiteName(testFile);
  const where = path.relative(path.resolve(__dirname, '..', '..', '..'), indexFile(suite));
  const recorded = new Map<string, Recorded>();
  if (mode === 'record') afterAll(() => writeSuite(suite, madeWith(), recorded));

  const call = (c: PythonCall): string => {
    const key = callKey(c);
    const describe = `${where} call ${key} (${programSummary(c)})`;
    if (mode === 'record') {
      const { stdout, written } = runLive(c);
      const outputs = Object.fromEntries(Object.entries(written).map(([arg, w]) => [arg, 'file' in w ? ('file' as const) : Object.keys(w.files)]));
      recorded.set(key, { reference: { program: programSummary(c), stdout, outputs }, written });
      return stdout;
    }
    const committed = readSuite(suite)?.calls[key];
    if (mode === 'replay') {
      if (committed === undefined)
        throw new Error(`${describe}: no committed reference for this call (its code or inputs changed since the references were made); ${REGENERATE}`);
      for (const [arg, kind] of Object.entries(committed.outputs)) {
        const target = c.args[Number(arg)];
        if (typeof target !== 'string' && 'output' in target) placeWritten(target.output, readWritten(suite, key, arg, kind));
      }
      return committed.stdout;
    }
    const live = runLive(c);
    if (committed === undefined)
      throw new Error(
        `${describe}: Python ran, but there is no committed reference for this call (its code or inputs changed); run npm run fixtures and commit the result`,
      );
    if (live.stdout !== committed.stdout)
      throw new Error(`${describe}: Python prints ${excerpt(live.stdout, committed.stdout)}; run npm run fixtures and review the diff`);
    const changed = Object.entries(live.written).find(
      ([arg, w]) => committed.outputs[arg] === undefined || !sameWritten(w, readWritten(suite, key, arg, committed.outputs[arg])),
    );
    if (changed !== undefined)
      throw new Error(`${describe}: what Python writes to argument ${changed[0]} differs from the committed files; run npm run fixtures and review the diff`);
    return live.stdout;
  };

  return {
    run: (code, args = [], options = {}) => call({ program: { code }, args, stdin: options.stdin }),
    script: (file, args = []) => call({ program: { script: file }, args }),
  };
}
