import type { NodeType } from './node-api';
import { didYouMean } from './suggest';

/**
 * Node types by name. Built-in nodes and plugins register through the same `register`, and a
 * duplicate name is refused rather than silently shadowing another node's behaviour.
 */
export class NodeRegistry {
  private readonly types = new Map<string, NodeType<never>>();

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
}
