/**
 * A child process for engine tests: runs an experiment (JSON file given as argv[2]) against a cache
 * folder (argv[3]) with the runtime test nodes, prints the run's events as JSON lines, and exits
 * with the run's exit code. SIGINT aborts the run as `cardigan run` does. With a third argument
 * (a path), it writes `<path>.ready.<pid>` once loaded and waits for `<path>` to exist before
 * running, so that a test can start several children at the same moment.
 *
 *   node -r ./test/rig/ts-register.js test/rig/child-run.ts experiment.json cache/ [go-file]
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { setTimeout as delay } from 'timers/promises';
import { Cache } from '../../engine/cache/cache';
import type { ResolvedExperiment } from '../../engine/experiment/resolved';
import { runExperiment } from '../../engine/run/scheduler';
import { runtimeRegistry } from './runtime-nodes';

async function startSignal(goFile: string | undefined): Promise<void> {
  if (goFile === undefined) return;
  writeFileSync(`${goFile}.ready.${process.pid}`, '');
  while (!existsSync(goFile)) await delay(5);
}

async function main(): Promise<number> {
  await startSignal(process.argv[4]);
  const experiment = JSON.parse(readFileSync(process.argv[2], 'utf8')) as ResolvedExperiment;
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort(new Error('SIGINT received')));
  const result = await runExperiment(experiment, {
    cache: new Cache(process.argv[3]),
    registry: runtimeRegistry(),
    backend: 'cpu',
    jobs: 2,
    lockPollMs: 25,
    signal: controller.signal,
    report: (event) => process.stdout.write(JSON.stringify(event) + '\n'),
  });
  return result.exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 3;
  },
);
