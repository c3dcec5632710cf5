import type { ResolvedExperiment } from './resolved';

/** Who feeds whom, from the resolved nodes' input references. */
export class Dependencies {
  private readonly up = new Map<string, string[]>();
  private readonly down = new Map<string, string[]>();

  constructor(experiment: ResolvedExperiment) {
    for (const node of experiment.nodes) {
      this.up.set(node.id, []);
      this.down.set(node.id, []);
    }
    for (const node of experiment.nodes) {
      const producers = [...new Set(Object.values(node.inputs).flatMap((refs) => refs.map((ref) => ref.nodeId)))];
      this.up.set(node.id, producers);
      for (const producer of producers) this.down.get(producer)?.push(node.id);
    }
  }

  upstream(id: string): string[] {
    return this.up.get(id) ?? [];
  }

  downstream(id: string): string[] {
    return this.down.get(id) ?? [];
  }

  /** The given nodes and everything they (transitively) read from. */
  withAncestors(ids: Iterable<string>): Set<string> {
    return this.closure(ids, (id) => this.upstream(id));
  }

  /** The given nodes and everything that (transitively) reads from them. */
  withDescendants(ids: Iterable<string>): Set<string> {
    return this.closure(ids, (id) => this.downstream(id));
  }

  private closure(ids: Iterable<string>, next: (id: string) => string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...next(id));
    }
    return seen;
  }
}
