import type { EntryRecord } from './entry-record';
import { type StaticParts, staticParts, withInputs } from './fingerprint';
import type { JobInput, NodeJob } from './job';
import { type NodeKey, keyOf } from './key';
import type { NodeType } from './node-api';
import type { NodeRegistry } from './registry';
import type { ResolvedExperiment, ResolvedNode } from './resolved';

/** A node's key once all its producers have entries, or the producers it still waits for. */
export type KeyResolution = { ok: true; key: NodeKey; inputs: Record<string, JobInput[]> } | { ok: false; waitingFor: string[] };

/**
 * Computes node keys from the producers' committed records: a key is known only when every input's
 * content hash is, which is what makes early cutoff work and what `plan` calls "blocked" otherwise.
 */
export class KeyResolver {
  private readonly parts = new Map<string, StaticParts>();

  constructor(
    private readonly experiment: ResolvedExperiment,
    private readonly registry: NodeRegistry,
  ) {}

  nodeType(node: ResolvedNode): NodeType<Record<string, unknown>> {
    return this.registry.get(node.type);
  }

  staticParts(node: ResolvedNode): StaticParts {
    let parts = this.parts.get(node.id);
    if (parts === undefined) {
      parts = staticParts(node, this.nodeType(node));
      this.parts.set(node.id, parts);
    }
    return parts;
  }

  /**
   * An input whose producer finished without writing that (optional) output port is left out, as if
   * unconnected: the node sees `undefined` there.
   */
  resolve(node: ResolvedNode, recordOf: (nodeId: string) => EntryRecord | undefined): KeyResolution {
    const waiting = new Set<string>();
    const inputs: Record<string, JobInput[]> = {};
    for (const [port, refs] of Object.entries(node.inputs)) {
      const artifacts: JobInput[] = [];
      for (const ref of refs) {
        const record = recordOf(ref.nodeId);
        if (record === undefined) {
          waiting.add(ref.nodeId);
          continue;
        }
        const output = record.outputs[ref.port];
        if (output === undefined) continue;
        artifacts.push({ from: `${ref.nodeId}.${ref.port}`, nodeId: ref.nodeId, port: ref.port, key: record.key, hash: output.hash, type: output.type });
      }
      inputs[port] = artifacts;
    }
    if (waiting.size > 0) return { ok: false, waitingFor: [...waiting] };
    const hashes = Object.fromEntries(Object.entries(inputs).map(([port, artifacts]) => [port, artifacts.map((artifact) => artifact.hash)]));
    return { ok: true, key: keyOf(withInputs(this.staticParts(node), hashes)), inputs };
  }

  job(node: ResolvedNode, key: NodeKey, inputs: Record<string, JobInput[]>): NodeJob {
    const nodeType = this.nodeType(node);
    return {
      key: key.hash,
      parts: key.parts,
      nodeId: node.id,
      type: nodeType.type,
      version: nodeType.version,
      params: node.params,
      seed: node.seed,
      resource: nodeType.resource,
      inputs,
      experiment: { name: this.experiment.name, file: this.experiment.file },
    };
  }
}
