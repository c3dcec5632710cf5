import * as os from 'os';
import type { ResourceClass } from '../node-api';
import type { NodeSlots, SlotTicket } from './executor';

/**
 * Concurrency per resource class, each class with its own count of slots, and optionally a count
 * all classes share (`total`). The in-process executor gives cpu nodes `--jobs` slots and gpu nodes
 * one, since two trainings in one process only take turns; the process pool shares `--jobs`
 * processes among all nodes and caps gpu nodes at one per GPU once it knows the backend. A count
 * may change while nodes run (`setLimit`): raising it starts waiting nodes at once.
 *
 * A free slot goes to the waiting node of highest priority (the scheduler's: the longest chain of
 * work the node holds up, see critical-path.ts), first come first served among equals. A node that
 * will soon ask (its producers are done, it is still looking up the cache) announces itself first,
 * so that a slot freed in the meantime is kept for it rather than given to a node it outranks.
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

  announce(resource: ResourceClass, priority: number): SlotTicket {
    const atClass = this.classes[resource].expect(priority);
    const atTotal = this.total?.expect(priority) ?? (() => undefined);
    const ticket: Ticket = {
      resource,
      priority,
      atClass,
      atTotal,
      withdraw: () => {
        atClass();
        atTotal();
      },
    };
    return ticket;
  }

  async run<T>(ticket: SlotTicket, task: () => Promise<T>): Promise<T> {
    const { resource, priority, atClass, atTotal } = ticket as Ticket;
    // The class first, then the shared count: a gpu node waiting for the GPU never holds a process
    // slot, so its place in the shared count is kept only if its class lets it in at once.
    let admitted = false;
    // Queued before the kept place is given up, so that no node it outranks slips in between.
    const classGranted = this.classes[resource].acquire(priority, () => {
      admitted = true;
    });
    atClass();
    if (!admitted) atTotal();
    const releaseClass = await classGranted;
    try {
      const totalGranted = this.total?.acquire(priority);
      atTotal();
      const releaseTotal = totalGranted === undefined ? () => undefined : await totalGranted;
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

interface Ticket extends SlotTicket {
  resource: ResourceClass;
  priority: number;
  /** Cancel the kept place in the class's count, and in the shared one (each idempotent). */
  atClass: () => void;
  atTotal: () => void;
}

interface Waiter {
  priority: number;
  order: number;
  grant: () => void;
}

/**
 * A counting semaphore whose count may change. Waiters are served by priority, then in order of
 * arrival; a waiter is held back while the free slots are needed by announced arrivals that
 * outrank it.
 */
class Semaphore {
  private active = 0;
  private arrivals = 0;
  private readonly waiting: Waiter[] = [];
  private readonly expected = new Map<number, number>();

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    this.drain();
  }

  /** Keeps a slot for a node of this priority that is about to ask; the returned function cancels (idempotent). */
  expect(priority: number): () => void {
    const id = this.arrivals++;
    this.expected.set(id, priority);
    return () => {
      if (this.expected.delete(id)) this.drain();
    };
  }

  /** Resolves with the release function once a slot is granted; `granted` is told at once. */
  acquire(priority: number, granted?: () => void): Promise<() => void> {
    return new Promise((resolve) => {
      this.waiting.push({
        priority,
        order: this.arrivals++,
        grant: () => {
          this.active++;
          granted?.();
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.active--;
            // On the next turn of the event loop: the nodes this one's end makes ready announce
            // themselves first (that takes only promise callbacks), so the slot can be kept for them.
            setImmediate(() => this.drain());
          });
        },
      });
      this.drain();
    });
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length > 0) {
      const next = this.waiting.reduce((best, w) => (w.priority > best.priority || (w.priority === best.priority && w.order < best.order) ? w : best));
      const kept = [...this.expected.values()].filter((priority) => priority > next.priority).length;
      if (this.active + kept >= this.limit) return;
      this.waiting.splice(this.waiting.indexOf(next), 1);
      next.grant();
    }
  }
}
export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
