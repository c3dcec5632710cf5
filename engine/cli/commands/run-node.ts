import * as os from 'os';
import { BACKEND_CHOICES, type BackendChoice, type BackendInfo } from '../../compute/backend';
import { Cache } from '../../cache/cache';
import { cardiganVersion } from '../../cache/package-info';
import { LazyBackend } from '../../compute/lazy-backend';
import { loadPlugins } from '../../experiment/plugins';
import { isKeyHash } from '../../keys/key';
import { NodeRegistry } from '../../registry';
import { UsageError, UserError } from '../../errors';
import { computeJob } from '../../run/compute-job';
import { type ExecutorName, EXECUTOR_NAMES, describeFailure } from '../../run/executor';
import { AttemptFolder, type JobFile, type WorkerResult, reportToFile } from '../../run/job-folder';
import { watchParent } from '../../run/parent-watch';
import { CACHE_OPTIONS, type CommandSpec, parseCommandArgs } from '../args';
import { defineCommand } from '../command';

const OPTIONS = {
  attempt: { type: 'string', value: 'NAME', description: 'the attempt folder under jobs/<key>/ (default: the newest)' },
  backend: { type: 'string', choices: BACKEND_CHOICES, description: "tfjs backend (default: the job's)" },
  executor: { type: 'string', choices: EXECUTOR_NAMES, default: 'processes', description: 'what started this worker, for the provenance' },
  'job-id': { type: 'string', value: 'ID', env: 'SLURM_JOB_ID', description: 'the cluster job id, for the provenance' },
  'stop-with-parent': { type: 'boolean', description: 'stop (as on SIGTERM) when the process that started this one ends' },
  ...CACHE_OPTIONS,
  verbose: { type: 'boolean', description: 'print stack traces on errors' },
} as const;

const SPEC = {
  command: 'run-node',
  summary: 'compute one node from its job in the cache (the worker of the process pool and of Slurm jobs)',
  positionals: [{ name: 'key', description: 'the key of the node to compute (64 hex digits)' }],
  options: OPTIONS,
  details: `Reads cache/jobs/<key>/<attempt>/job.json (type, version, params, inputs by key, seed), takes
the key's lock, runs the node, commits the entry atomically, and writes what it does to events.jsonl
and how it ended to result.json in that folder, which the coordinating \`cardigan run\` follows.
Everything the node needs is in the cache. A job planned by another cardigan version, or for
another version of its node type, is refused. Exit code 0 when the entry is committed (or was
committed meanwhile by another process), 1 when the node failed, 130 when interrupted.`,
} satisfies CommandSpec<typeof OPTIONS>;

export const command = defineCommand(SPEC, async (args, program) => {
  const { positionals, values } = parseCommandArgs(SPEC, args);
  const key = positionals[0];
  if (!isKeyHash(key)) throw new UsageError(`run-node: <key> must be a cache key (64 hex digits), got "${key}"`);
  const cache = new Cache(values.cache);
  const attempt = await AttemptFolder.open(cache.layout, key, values.attempt);
  if (attempt === undefined) {
    throw new UserError(
      `run-node: no job for key ${key} in ${cache.layout.jobDir(key)}${values.attempt === undefined ? '' : `/${values.attempt}`}\n` +
        'The coordinating `cardigan run` writes job.json there before it starts a worker; check --cache points at the same cache.',
    );
  }
  const file = await attempt.readJob();
  if ('error' in file) return refuse(attempt, { reason: 'worker-error', message: `run-node: ${file.error}` });

  const registry = new NodeRegistry();
  program.registerNodes(registry);
  const refusal = versionRefusal(file, registry) ?? pluginRefusal(file, registry);
  if (refusal !== undefined) return refuse(attempt, { reason: 'version-mismatch', message: refusal });

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    // The temp entry and the lock left behind are cleaned up by the next run.
    if (signals > 1) process.exit(130);
    controller.abort(new Error(`${signal} received`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopWatching = values['stop-with-parent'] ? watchParent(() => onSignal('SIGTERM')) : () => undefined;
  try {
    const choice: BackendChoice = values.backend ?? file.backend;
    const backend = new LazyBackend(choice, () => undefined);
    const executorName: ExecutorName = values.executor;
    const jobId = values['job-id'];
    const result = await computeJob(file.job, {
      cache,
      registry,
      backend: (): Promise<BackendInfo> => backend.get(),
      runId: file.runId,
      signal: controller.signal,
      replace: file.replace,
      lockPollMs: file.lockPollMs,
      report: reportToFile(attempt),
      executor: { name: executorName, ...(jobId === undefined || executorName !== 'slurm' ? {} : { jobId }) },
    });
    const written: WorkerResult = result.ok
      ? { ok: true, status: result.status, resumed: result.status === 'done' && result.resumed }
      : { ok: false, failure: result.failure };
    await attempt.writeResult(written);
    if (result.ok) {
      process.stderr.write(
        `run-node: ${file.job.nodeId} ${result.status === 'done' ? 'computed and committed' : 'was committed meanwhile by another process'}: ${key} on ${os.hostname()}\n`,
      );
      return 0;
    }
    if (result.failure.reason === 'interrupted') {
      process.stderr.write(`run-node: ${file.job.nodeId} interrupted\n`);
      return 130;
    }
    process.stderr.write(`run-node: ${file.job.nodeId} failed: ${describeFailure(result.failure)}\n`);
    if (result.failure.reason === 'threw' && result.failure.stack !== undefined) process.stderr.write(`${result.failure.stack}\n`);
    return 1;
  } finally {
    stopWatching();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
});

/** A job this worker will not run: said in result.json (for the coordinator) and on stderr, exit 1. */
async function refuse(attempt: AttemptFolder, failure: { reason: 'worker-error' | 'version-mismatch'; message: string }): Promise<number> {
  await attempt.writeResult({ ok: false, failure });
  throw new UserError(failure.message);
}

function versionRefusal(file: JobFile, registry: NodeRegistry): string | undefined {
  const mine = cardiganVersion();
  const node = `node "${file.job.nodeId}" (${file.job.type})`;
  const fix =
    'Run the worker with the same cardigan as the coordinator (on a cluster: the same checkout on the shared filesystem), or rerun `cardigan run` with this one.';
  if (file.cardigan !== mine) return `run-node: refusing the job of ${node}: it was planned by cardigan ${file.cardigan}, this is cardigan ${mine}.\n${fix}`;
  if (file.plugins.length > 0) return undefined; // the node type may come from a plugin: checked once plugins are loaded
  return typeVersionRefusal(file, registry, node, fix);
}

function pluginRefusal(file: JobFile, registry: NodeRegistry): string | undefined {
  if (file.plugins.length === 0) return undefined;
  const diagnostics = loadPlugins(
    file.plugins.map((plugin) => ({ spec: plugin, path: plugin, place: { file: plugin, line: 1, col: 1 } })),
    registry,
  );
  if (diagnostics.length > 0) return `run-node: ${diagnostics.map((d) => d.message).join('; ')}`;
  const node = `node "${file.job.nodeId}" (${file.job.type})`;
  return typeVersionRefusal(file, registry, node, 'Run the worker with the same plugins and cardigan as the coordinator.');
}

function typeVersionRefusal(file: JobFile, registry: NodeRegistry, node: string, fix: string): string | undefined {
  const found = registry.lookup(file.job.type);
  if ('error' in found) return `run-node: refusing the job of ${node}: ${found.error} in this cardigan.\n${fix}`;
  if (found.version !== file.job.version) {
    return `run-node: refusing the job of ${node}: it was planned for ${file.job.type} version ${file.job.version}, this cardigan has version ${found.version}.\n${fix}`;
  }
  return undefined;
}
