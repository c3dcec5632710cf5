import type { QueuedJob, SlurmCli } from './slurm-cli';

/** What the last successful poll said about a job: listed with a state, or gone from the queue. */
export type Sighting = { seen: 'listed'; job: QueuedJob; at: number } | { seen: 'gone'; at: number };

/**
 * One `squeue` call per poll for every job the run watches, however many there are (as
 * Snakemake and Nextflow do), at most once per interval. When the controller cannot be reached the
 * poll backs off (doubling, up to eight intervals) and the jobs keep their last sighting: an
 * unreachable controller delays what the run learns, it never fails a node.
 */
export class SlurmQueue {
  private readonly watched = new Set<string>();
  private readonly sightings = new Map<string, Sighting>();
  private loop: Promise<void> | undefined;
  private lastPoll = 0;
  private unreachableSince: number | undefined;

  constructor(
    private readonly cli: SlurmCli,
    private readonly intervalMs: number,
    private readonly onUnreachable: (message: string) => void = () => undefined,
    private readonly onReachable: () => void = () => undefined,
  ) {}

  /** Starts watching a job; the returned function stops. */
  watch(jobId: string): () => void {
    this.watched.add(jobId);
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
    });
    return () => {
      this.watched.delete(jobId);
      this.sightings.delete(jobId);
    };
  }

  /** The latest sighting of a job since it was watched; undefined before the first successful poll. */
  latest(jobId: string): Sighting | undefined {
    return this.sightings.get(jobId);
  }

  /** Polls now (unless a poll ran within the interval) and returns the answer: for adopting jobs. */
  async pollNow(): Promise<Map<string, QueuedJob> | undefined> {
    const answer = await this.cli.queue();
    return answer.ok ? answer.jobs : undefined;
  }

  private async run(): Promise<void> {
    let wait = this.intervalMs;
    while (this.watched.size > 0) {
      const since = Date.now() - this.lastPoll;
      if (since < wait) await new Promise((resolve) => setTimeout(resolve, wait - since).unref());
      if (this.watched.size === 0) break;
      this.lastPoll = Date.now();
      const answer = await this.cli.queue();
      if (!answer.ok) {
        if (this.unreachableSince === undefined) {
          this.unreachableSince = Date.now();
          this.onUnreachable(answer.message);
        }
        wait = Math.min(wait * 2, this.intervalMs * 8);
        continue;
      }
      if (this.unreachableSince !== undefined) {
        this.unreachableSince = undefined;
        this.onReachable();
      }
      wait = this.intervalMs;
      const at = Date.now();
      for (const id of this.watched) {
        const job = answer.jobs.get(id);
        this.sightings.set(id, job === undefined ? { seen: 'gone', at } : { seen: 'listed', job, at });
      }
    }
  }
}
