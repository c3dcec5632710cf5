import type { NodeType } from '../node-api';
import type { ResolvedNode } from '../experiment/resolved';

/**
 * Bump when the engine changes anything that makes an old entry unusable or wrong for the same
 * inputs: the entry layout, the record format, how artifact hashes are computed, or how params
 * reach a node. Every existing key changes with it, so old entries become misses (and gc fodder)
 * instead of being misread.
 */
export const CACHE_FORMAT_VERSION = 1;

/**
 * Everything that determines a node's outputs, and nothing else (wireit's FingerprintData, DVC's
 * sorted-JSON stage hash). The key is the sha256 of this object's canonical JSON (key.ts); keeping
 * the object itself beside the key is what lets `plan --explain` say *why* a node is stale.
 *
 * Deliberately absent: the backend (a model trained on a GPU is reusable on a laptop; it is recorded
 * in provenance instead), node ids and reference names (renaming a node must not rerun it), the
 * experiment name and file, and wall-clock time.
 */
export interface Fingerprint {
  /** Engine cache format (CACHE_FORMAT_VERSION): a new format may lay out or hash outputs differently. */
  format: number;
  /** Node type name: a different type is different code. */
  type: string;
  /** The node type's declared version: authors bump it when the same params and inputs give new outputs. */
  version: number;
  /**
   * Params after every default and override, minus the type's `cosmeticParams` (labels, verbosity),
   * which by the node author's declaration do not change the outputs.
   */
  params: Record<string, unknown>;
  /**
   * Content hash of every input artifact, by port. Hashes rather than upstream keys give early
   * cutoff: an upstream that reruns and reproduces identical bytes leaves this unchanged. Fan-in
   * lists keep their given order, because a node may treat its inputs positionally.
   * Unconnected ports are absent.
   */
  inputs: Record<string, string[]>;
  /**
   * Content fingerprint (external-fingerprint.ts) of each file or folder outside the cache that the
   * node reads (NodeType.externalPaths), by the path as the node type gives it — normally a param as
   * written, relative to the experiment file. The data decides the outputs; where the experiment
   * lives does not, so the resolved absolute path never enters the key. Absent when the node type
   * reads nothing outside the cache, which keeps the keys of all other nodes as they were.
   */
  external?: Record<string, string>;
  /** The seed the node receives: it drives every random choice (initialisation, shuffles, sampling). */
  seed: number;
}

/** The parts known before any upstream has run: all but the input hashes. */
export type StaticParts = Omit<Fingerprint, 'inputs'>;

/** `external` maps each external path to its fingerprint (see Fingerprint.external); empty or absent when there is none. */
export function staticParts(
  node: ResolvedNode,
  nodeType: Pick<NodeType<never>, 'type' | 'version' | 'cosmeticParams'>,
  external: Record<string, string> = {},
): StaticParts {
  const cosmetic = new Set(nodeType.cosmeticParams ?? []);
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(node.params)) {
    if (!cosmetic.has(name)) params[name] = value;
  }
  const parts: StaticParts = { format: CACHE_FORMAT_VERSION, type: nodeType.type, version: nodeType.version, params, seed: node.seed };
  if (Object.keys(external).length > 0) parts.external = { ...external };
  return parts;
}

/** Completes the static parts with the input hashes; ports are sorted so that key order never matters. */
export function withInputs(parts: StaticParts, inputs: Record<string, string[]>): Fingerprint {
  const sorted: Record<string, string[]> = {};
  for (const port of Object.keys(inputs).sort()) {
    if (inputs[port].length > 0) sorted[port] = [...inputs[port]];
  }
  return { ...parts, inputs: sorted };
}
