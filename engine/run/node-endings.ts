import type { Cache } from '../cache/cache';
import type { EntryRecord } from '../cache/entry-record';
import type { ResolvedNode } from '../experiment/resolved';
import type { NodeKey } from '../keys/key';
import type { RunEvent } from './events';
import type { NodeOutcome } from './outcome';

/**
 * The ways a node ends that the scheduler reaches from several places (a planned hit, an early-cutoff
 * hit, an entry another process committed while we waited; an abort at any step; a failure), each
 * reported one way: the event and the outcome always agree.
 */
export class NodeEndings {
  constructor(
    private readonly cache: Cache,
    private readonly report: (event: RunEvent) => void,
  ) {}

  /** Reuses a verified entry; touching it tells `cache gc` it is in use. */
  async cached(node: ResolvedNode, key: NodeKey, record: EntryRecord): Promise<NodeOutcome> {
    await this.cache.touch(key.hash);
    this.report({ type: 'node-cached', node: node.id, key: key.hash });
    return { status: 'cached', key, record };
  }

  interrupted(node: ResolvedNode, key: NodeKey | undefined): NodeOutcome {
    this.report({ type: 'node-interrupted', node: node.id, key: key?.hash ?? null });
    return { status: 'interrupted', key };
  }

  failed(node: ResolvedNode, key: NodeKey | undefined, error: string, startedAt: Date | undefined, seconds: number): NodeOutcome {
    this.report({ type: 'node-failed', node: node.id, key: key?.hash ?? null, seconds, error });
    return { status: 'failed', key, error, startedAt, seconds };
  }
}
