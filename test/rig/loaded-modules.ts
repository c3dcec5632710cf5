/**
 * Which npm packages a step of cardigan loads: registers the built-in nodes, then runs
 * `cardigan --help`, `validate` and `plan` on the given experiment in this one process, and writes,
 * after each step, the packages loaded so far (from require.cache) as JSON to the output file.
 *
 *   node -r ./test/rig/ts-register.js test/rig/loaded-modules.ts experiment.yaml cache/ out.json
 */
import { writeFileSync } from 'fs';
import { cardigan as main } from '../../nodes/cardigan';
import { NodeRegistry } from '../../engine/registry';
import { registerBuiltinNodes } from '../../nodes/types/index';

/** Package names under node_modules, leaving out the TypeScript compiler this rig itself loads. */
function loadedPackages(): string[] {
  const names = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (match !== null && !match[1].startsWith('@swc/')) names.add(match[1]);
  }
  return [...names].sort();
}

async function steps(): Promise<void> {
  const [experiment, cache, out] = process.argv.slice(2);
  const loaded: Record<string, string[]> = {};
  registerBuiltinNodes(new NodeRegistry());
  loaded.register = loadedPackages();
  for (const [step, args] of [
    ['help', ['--help']],
    ['validate', ['validate', experiment]],
    ['plan', ['plan', experiment, '--cache', cache]],
  ] as const) {
    const code = await main([...args]);
    if (code !== 0) throw new Error(`cardigan ${args.join(' ')} exited ${code}`);
    loaded[step] = loadedPackages();
  }
  writeFileSync(out, JSON.stringify(loaded));
}

steps().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
