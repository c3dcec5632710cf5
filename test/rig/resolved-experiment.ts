import type { InputRef, ResolvedExperiment, ResolvedNode } from '../../engine/experiment/resolved';

/**
 * Builds a ResolvedExperiment from a compact description, as the loader would produce it: inputs
 * written `node.port`, nodes kept in the given (topological) order, seeds given or derived from the id.
 */
export interface NodeSketch {
  id: string;
  type: string;
  params?: Record<string, unknown>;
  inputs?: Record<string, string[]>;
  seed?: number;
  group?: string;
}

export function resolvedExperiment(file: string, nodes: NodeSketch[], name = 'test'): ResolvedExperiment {
  return { name, file, seed: 1, plugins: [], nodes: nodes.map(toNode) };
}

function toNode(sketch: NodeSketch): ResolvedNode {
  const inputs: Record<string, InputRef[]> = {};
  for (const [port, refs] of Object.entries(sketch.inputs ?? {})) {
    inputs[port] = refs.map((ref) => {
      const dot = ref.lastIndexOf('.');
      return { nodeId: ref.slice(0, dot), port: ref.slice(dot + 1) };
    });
  }
  const node: ResolvedNode = { id: sketch.id, type: sketch.type, params: sketch.params ?? {}, inputs, seed: sketch.seed ?? seedOf(sketch.id) };
  if (sketch.group !== undefined) node.group = sketch.group;
  return node;
}

function seedOf(id: string): number {
  let seed = 17;
  for (const char of id) seed = (seed * 31 + char.charCodeAt(0)) % 2147483647;
  return seed;
}
