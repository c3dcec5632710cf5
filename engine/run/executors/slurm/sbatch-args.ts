import type { NodeJob } from '../../../keys/job';
import { shortKey } from '../../../keys/key';
import type { AttemptFolder } from '../../job-folder';
import type { JobSettings } from './profile';

export interface WorkerInvocation {
  /** What starts cardigan on the compute node. */
  command: readonly string[];
  cacheRoot: string;
  backend: string;
}

/**
 * `sbatch` arguments for one attempt: named `cardigan-<node>-<short key>`, its stdout and stderr in
 * the attempt's folder on the shared filesystem, never requeued by Slurm (the executor retries
 * machine failures itself, in a new attempt, so a node never runs twice in one attempt), and the
 * profile's settings; the job runs `cardigan run-node <key>` against the shared cache.
 */
export function sbatchArgs(job: NodeJob, attempt: AttemptFolder, settings: JobSettings, worker: WorkerInvocation): string[] {
  const args = ['--parsable', `--job-name=${jobName(job)}`, `--output=${attempt.file('slurm-%j.out')}`, '--no-requeue', `--comment=cardigan key ${job.key}`];
  if (settings.partition !== undefined) args.push(`--partition=${settings.partition}`);
  if (settings.account !== undefined) args.push(`--account=${settings.account}`);
  if (settings.qos !== undefined) args.push(`--qos=${settings.qos}`);
  if (settings.time !== undefined) args.push(`--time=${settings.time}`);
  if (settings.memory !== undefined) args.push(`--mem=${settings.memory}`);
  if (settings.cpus !== undefined) args.push(`--cpus-per-task=${settings.cpus}`);
  if (settings.gres !== undefined) args.push(`--gres=${settings.gres}`);
  else if (settings.gpus !== undefined && settings.gpus > 0) args.push(`--gpus=${settings.gpus}`);
  args.push(...(settings.extra ?? []));
  const run = [
    ...worker.command,
    'run-node',
    job.key,
    '--cache',
    worker.cacheRoot,
    '--attempt',
    attempt.name,
    '--executor',
    'slurm',
    '--backend',
    worker.backend,
  ];
  args.push(`--wrap=${['exec', ...run].map(shellQuote).join(' ')}`);
  return args;
}

export function jobName(job: Pick<NodeJob, 'nodeId' | 'key'>): string {
  return `cardigan-${job.nodeId.replace(/[^A-Za-z0-9._-]+/g, '_')}-${shortKey(job.key)}`;
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
