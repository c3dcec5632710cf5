import type { NodeType } from './node-api';
import type { ReportSource } from './run/report-source';
import { didYouMean } from './experiment/suggest';

/**
 * Turns what the cache holds for an experiment into one HTML page. The engine knows how to gather the
 * source and where to write the page; what the page shows is domain work, supplied from outside.
 */
export type ReportBuilder = (source: ReportSource) => Promise<string>;

/**
 * Node types by name. Built-in nodes and plugins register through the same `register`, and a
 * duplicate name is refused rather than silently shadowing another node's behaviour.
 */
export class NodeRegistry {
  private readonly types = new Map<string, NodeType<never>>();
  private builder: ReportBuilder | undefined;

  register<P>(node: NodeType<P>): void {
    if (this.types.has(node.type)) {
      throw new Error(`node type "${node.type}" is already registered`);
    }
    this.types.set(node.type, node as unknown as NodeType<never>);
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  /** The node type, or an error message that suggests the closest registered name. */
  lookup(type: string): NodeType<Record<string, unknown>> | { error: string } {
    const found = this.types.get(type);
    if (found !== undefined) return found as unknown as NodeType<Record<string, unknown>>;
    return { error: `unknown node type "${type}"${didYouMean(type, this.types.keys())}` };
  }

  get(type: string): NodeType<Record<string, unknown>> {
    const found = this.lookup(type);
    if ('error' in found) throw new Error(found.error);
    return found;
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }

  /**
   * Sets what `cardigan report` and an experiment's `report:` write. One per registry: a second is
   * refused, like a duplicate node type. Keep it cheap: require the page builder inside the function.
   */
  setReportBuilder(builder: ReportBuilder): void {
    if (this.builder !== undefined) throw new Error('a report builder is already registered');
    this.builder = builder;
  }

  reportBuilder(): ReportBuilder | undefined {
    return this.builder;
  }
}
