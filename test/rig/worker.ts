/**
 * A program for engine tests of the process pool: the engine's CLI with the runtime test nodes
 * (runtime-nodes.ts) as its node types, so that `cardigan run-node` workers can compute them.
 *
 *   node -r ./test/rig/ts-register.js test/rig/worker.ts run-node <key> --cache DIR …
 */
import * as path from 'path';
import { main } from '../../engine/cli';
import { register } from './runtime-nodes';

const root = path.resolve(__dirname, '..', '..');

/** The command line that starts this program, for ProcessPoolExecutor's `command`. */
export const WORKER_COMMAND: readonly string[] = [process.execPath, '-r', path.join(root, 'test/rig/ts-register.js'), path.join(root, 'test/rig/worker.ts')];

if (require.main === module) {
  main(process.argv.slice(2), { registerNodes: register, commands: {}, workerEntry: __filename }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
