import type { EntryRecord } from '../cache/entry-record';
import { UserError } from '../errors';
import { externalFingerprint, resolveExperimentPath } from '../keys/external-fingerprint';
import { type StaticParts, staticParts, withInputs } from '../keys/fingerprint';
import type { JobInput, NodeJob } from '../keys/job';
import { type NodeKey, keyOf } from '../keys/key';
import type { NodeType } from '../node-api';
import type { NodeRegistry } from '../registry';
import type { ResolvedExperiment, ResolvedNode } from '../experiment/resolved';

/** A node's key once all its producers have entries, or the producers it still waits for. */
export type KeyResolution = { ok: true; key: NodeKey; inputs: Record<string, JobInput[]> } | { ok: false; waitingFor: string[] };

/**
 * Computes node keys from the producers' committed records: a key is known only when every input's
 * content hash is, which is what makes early cutoff work and what `plan` calls "blocked" otherwise.
 */
export class KeyResolver {
  private constructor(
    private readonly experiment: ResolvedExperiment,
    private readonly registry: NodeRegistry,
    private readonly parts: ReadonlyMap<string, StaticParts>,
  ) {}

  /**
   * Computes every node's static parts up front, external data included: fingerprinting files is the
   * only slow (asynchronous) part, and each path is read once however many nodes name it. With
   * `memoDir` (the cache's fingerprints folder), unchanged files are not read again from one plan to the next.
   */
  static async create(experiment: ResolvedExperiment, registry: NodeRegistry, memoDir?: string): Promise<KeyResolver> {
    const fingerprints = new Map<string, Promise<string>>();
    const fingerprint = (absolute: string): Promise<string> => {
      let found = fingerprints.get(absolute);
      if (found === undefined) {
        found = externalFingerprint(absolute, memoDir);
        fingerprints.set(absolute, found);
      }
      return found;
    };
    const parts = await Promise.all(
      experiment.nodes.map(async (node) => {
        const nodeType = registry.get(node.type);
        const external: Record<string, string> = {};
        for (const written of externalPathsOf(node, nodeType)) external[written] = await fingerprint(resolveExperimentPath(experiment.file, written));
        return [node.id, staticParts(node, nodeType, external)] as const;
      }),
    );
    return new KeyResolver(experiment, registry, new Map(parts));
  }

  nodeType(node: ResolvedNode): NodeType<Record<string, unknown>> {
    return this.registry.get(node.type);
  }

  staticParts(node: ResolvedNode): StaticParts {
    const parts = this.parts.get(node.id);
    if (parts === undefined) throw new Error(`internal: node "${node.id}" is not part of experiment ${this.experiment.file}`);
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

/** The paths a node's type says it reads outside the cache; a node type that throws here is named. */
function externalPathsOf(node: ResolvedNode, nodeType: NodeType<Record<string, unknown>>): string[] {
  if (nodeType.externalPaths === undefined) return [];
  try {
    return nodeType.externalPaths(node.params);
  } catch (error) {
    // A node type that refuses its data (a variable naming a missing folder) speaks to the user.
    if (error instanceof UserError) throw new UserError(`node "${node.id}" (${nodeType.type}): ${error.message}`);
    throw new Error(`node "${node.id}" (${nodeType.type}): externalPaths failed: ${(error as Error).message}`);
  }
}
