import { type ChildProcess, spawn } from 'child_process';
import type { CommandOutput, RunCommand } from '../../engine/run/executors/slurm/slurm-cli';

/**
 * A stand-in for sbatch, squeue, scontrol and scancel, for what a real single-node cluster cannot be
 * made to do on demand: a machine failure (NODE_FAIL), a job that vanishes from the queue, a
 * controller that does not answer. A submission's fate is chosen by `fates` (in submission order);
 * a job that "runs" runs its `--wrap` command here, as a real job would on a compute node.
 */
export type Fate = 'run' | 'node-fail' | 'vanish' | 'complete-without-result';

interface FakeJob {
  state: string;
  reason: string;
  child?: ChildProcess;
}

export class FakeSlurm {
  readonly jobs = new Map<string, FakeJob>();
  readonly calls: string[] = [];
  /** How many of the next squeue calls fail as if the controller were down. */
  unreachablePolls = 0;
  private next = 1;

  constructor(private readonly fates: Fate[]) {}

  readonly run: RunCommand = async (program, args) => {
    this.calls.push(program);
    switch (program) {
      case 'sbatch':
        return this.sbatch(args);
      case 'squeue':
        if (this.unreachablePolls > 0) {
          this.unreachablePolls--;
          return { code: 1, stdout: '', stderr: 'squeue: error: Unable to contact slurm controller (connect failure)\n' };
        }
        return { code: 0, stdout: [...this.jobs].map(([id, job]) => `${id}|${job.state}|${job.reason}\n`).join(''), stderr: '' };
      case 'scontrol': {
        const job = this.jobs.get(args[args.length - 1]);
        if (job === undefined) return { code: 1, stdout: '', stderr: 'slurm_load_jobs error: Invalid job id specified' };
        return { code: 0, stdout: `JobId=${args[args.length - 1]} JobState=${job.state} Reason=${job.reason} ExitCode=0:0\n`, stderr: '' };
      }
      case 'scancel':
        for (const id of args) {
          const job = this.jobs.get(id);
          if (job === undefined) continue;
          job.child?.kill('SIGTERM');
          job.state = 'CANCELLED';
        }
        return { code: 0, stdout: '', stderr: '' };
      default:
        return { code: 127, stdout: '', stderr: `${program}: not faked` };
    }
  };

  private sbatch(args: readonly string[]): CommandOutput {
    const id = String(this.next++);
    const fate = this.fates.shift() ?? 'run';
    const wrap = args.find((arg) => arg.startsWith('--wrap='))?.slice('--wrap='.length) ?? 'false';
    const output = (args.find((arg) => arg.startsWith('--output='))?.slice('--output='.length) ?? '/dev/null').replace('%j', id);
    switch (fate) {
      case 'node-fail':
        this.jobs.set(id, { state: 'NODE_FAIL', reason: 'None' });
        break;
      case 'vanish':
        break;
      case 'complete-without-result':
        this.jobs.set(id, { state: 'COMPLETED', reason: 'None' });
        break;
      case 'run': {
        const child = spawn('sh', ['-c', `${wrap} >>'${output}' 2>&1`], { stdio: 'ignore', env: { ...process.env, SLURM_JOB_ID: id } });
        const job: FakeJob = { state: 'RUNNING', reason: 'None', child };
        child.on('exit', (code) => {
          if (job.state === 'RUNNING') job.state = code === 0 ? 'COMPLETED' : 'FAILED';
        });
        this.jobs.set(id, job);
        break;
      }
      default:
        return fate;
    }
    return { code: 0, stdout: `${id}\n`, stderr: '' };
  }
}
