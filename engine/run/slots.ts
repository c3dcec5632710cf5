import * as os from 'os';
import type { ResourceClass } from '../node-api';
import type { NodeSlots } from './executor';

/**
 * Concurrency per resource class, each class with its own count of slots, and optionally a count
 * all classes share (`total`). The in-process executor gives cpu nodes `--jobs` slots and gpu nodes
 * one, since two trainings in one process only take turns; the process pool shares `--jobs`
 * processes among all nodes and caps gpu nodes at one per GPU once it knows the backend. A count
 * may change while nodes run (`setLimit`): raising it starts waiting nodes at once.
 */
export class Slots implements NodeSlots {
  private readonly classes: Record<ResourceClass, Semaphore>;
  private readonly total: Semaphore | undefined;

  constructor(limits: { cpu: number; gpu: number; total?: number }) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`${name} slots must be a positive integer, got ${value}`);
    }
    this.classes = { cpu: new Semaphore(limits.cpu), gpu: new Semaphore(limits.gpu) };
    this.total = limits.total === undefined ? undefined : new Semaphore(limits.total);
  }

  setLimit(resource: ResourceClass, limit: number): void {
    this.classes[resource].setLimit(limit);
  }

  async run<T>(resource: ResourceClass, task: () => Promise<T>): Promise<T> {
    // The class first, then the shared count: a gpu node waiting for the GPU never holds a process slot.
    const releaseClass = await this.classes[resource].acquire();
    try {
      const releaseTotal = this.total === undefined ? () => undefined : await this.total.acquire();
      try {
        return await task();
      } finally {
        releaseTotal();
      }
    } finally {
      releaseClass();
    }
  }
}

/** A counting semaphore whose count may change; waiters are served first come, first served. */
class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    this.drain();
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push(() => {
        this.active++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.active--;
          this.drain();
        });
      });
      this.drain();
    });
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) (this.waiting.shift() as () => void)();
  }
}

export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
