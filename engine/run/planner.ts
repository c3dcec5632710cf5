import type { Cache } from '../cache/cache';
import type { EntryRecord } from '../cache/entry-record';
import { buildGraph, producers } from '../experiment/graph';
import type { StaticParts } from '../keys/fingerprint';
import type { JobInput } from '../keys/job';
import type { NodeKey } from '../keys/key';
import type { NodeRegistry } from '../registry';
import { KeyResolver } from './resolve-key';
import type { ResolvedExperiment } from '../experiment/resolved';

/**
 * What `plan` shows and what `run` starts from:
 * - cached: the key is known and a verified entry holds it;
 * - stale: the key is known and there is no usable entry (absent, damaged, or `--force`d);
 * - blocked: the key cannot be known yet because an upstream node is stale (its output hash decides it).
 */
export type PlanState =
  | { state: 'cached'; key: NodeKey; record: EntryRecord }
  | { state: 'stale'; key: NodeKey; inputs: Record<string, JobInput[]>; why: StaleReason }
  | { state: 'blocked'; parts: StaticParts; waitingFor: string[] };

export type StaleReason = { why: 'absent' } | { why: 'invalid'; problems: string[] } | { why: 'forced' };

export interface PlanOptions {
  /** Nodes to treat as stale even when cached (`--force`). */
  forced?: ReadonlySet<string>;
  /** The run's own resolver, so that external data is fingerprinted once per run. */
  resolver?: KeyResolver;
}

/**
 * Resolves every node's key and cache state in one pass. Each node is a promise that waits for its
 * producers, so lookups of independent nodes overlap (the fs calls run on libuv's thread pool).
 * Planning never changes an entry: damaged entries are reported as stale here and dealt with by `run`.
 */
export async function planExperiment(
  experiment: ResolvedExperiment,
  registry: NodeRegistry,
  cache: Cache,
  options: PlanOptions = {},
): Promise<Map<string, PlanState>> {
  const resolver = options.resolver ?? (await KeyResolver.create(experiment, registry, cache.layout.fingerprintsDir));
  const graph = buildGraph(experiment.nodes);
  const states = new Map<string, Promise<PlanState>>();
  for (const node of experiment.nodes) {
    const from = producers(graph, node.id);
    const planned = Promise.all(from.map((id) => states.get(id) ?? missingProducer(node.id, id))).then(async (upstream): Promise<PlanState> => {
      const records = new Map<string, EntryRecord>();
      const waitingFor = new Set<string>();
      upstream.forEach((state, i) => {
        if (state.state === 'cached') records.set(from[i], state.record);
        else if (state.state === 'stale') waitingFor.add(from[i]);
        else state.waitingFor.forEach((id) => waitingFor.add(id));
      });
      if (waitingFor.size > 0) return { state: 'blocked', parts: resolver.staticParts(node), waitingFor: [...waitingFor] };
      const resolution = resolver.resolve(node, (id) => records.get(id));
      if (!resolution.ok) throw new Error(`internal: ${node.id} waits for ${resolution.waitingFor.join(', ')} although they are cached`);
      const { key, inputs } = resolution;
      if (options.forced?.has(node.id)) return { state: 'stale', key, inputs, why: { why: 'forced' } };
      const found = await cache.lookup(key.hash);
      switch (found.state) {
        case 'hit':
          return { state: 'cached', key, record: found.record };
        case 'absent':
          return { state: 'stale', key, inputs, why: { why: 'absent' } };
        case 'invalid':
          return { state: 'stale', key, inputs, why: { why: 'invalid', problems: found.problems } };
      }
    });
    states.set(node.id, planned);
  }
  const entries = await Promise.all([...states].map(async ([id, state]) => [id, await state] as const));
  return new Map(entries);
}

function missingProducer(nodeId: string, producer: string): never {
  throw new Error(`internal: ${nodeId} reads from ${producer}, which comes later in the experiment's node order (nodes must be topologically sorted)`);
}
