import type { Diagnostic } from './diagnostic';
import type { Place } from './extends';
import type { NodeType, SubjectSplit } from '../node-api';
import type { ResolvedNode, ValidationPolicy } from './resolved';

/**
 * Subject-level leakage, checked on the graph before anything runs. Node types declare how subjects
 * (patients) flow: a loader's outputs hold parts of a split (`split`), an output carries the subjects
 * of some inputs (`carries`, default all), and an input is training data, model-selection data or
 * the data a node evaluates its other inputs on (`role`). The check follows every part of every split
 * along the edges, remembering one path each, and then asks, node by node:
 *
 * - does a test part reach an input that a node evaluates on that same test part? A model would be
 *   scored on patients it learnt from, or was selected on: an error, with the path.
 * - does the validation part that selects a model's epoch also reach its training data? The model is
 *   then picked on patients it has seen: a warning (or, as the experiment's `leakage:` says, an error
 *   or nothing), with the path. The paper does exactly this (SPADE on train+val feeds CAMUS++).
 *
 * Only the graph is known here: a part is named by its node and split (`camus` test), so the parts of
 * two loaders never meet even when their patients do. Domain-free: the engine knows nothing of
 * patients, only of declared ports.
 */

export type { ValidationPolicy } from './resolved';

/** One part of one loader's split, e.g. `camus` / `test`. */
interface Part {
  source: string;
  port: string;
  split: SubjectSplit;
}

/** How a part reached an artifact: the outputs it passed through, from the loader's output on. */
interface Trail {
  part: Part;
  /** `node.port` of each output on the way, the loader's first. */
  outputs: string[];
  /** Where the part entered the first node after the loader: that node, input port and reference (the one to edit). */
  entry?: { node: string; port: string; index: number };
  /** The first node that took the part through a `train` or `select` input. */
  learnt?: { node: string; role: 'train' | 'select' };
}

export interface LeakageInput {
  /** In topological order. */
  nodes: readonly ResolvedNode[];
  typeOf: (node: ResolvedNode) => NodeType<Record<string, unknown>> | undefined;
  /** Where the `index`th reference feeding `port` of `node` is written. */
  inputPlace: (node: string, port: string, index: number) => Place;
  validation: ValidationPolicy;
}

const partKey = (part: Part): string => `${part.source}\u0000${part.split}`;

/** The errors (test leaks; validation leaks under `error`) and warnings (validation leaks under `warn`). */
export function checkLeakage(input: LeakageInput): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const lineage = new Map<string, Map<string, Trail>>();
  const findings = new Findings();
  for (const node of input.nodes) {
    const type = input.typeOf(node);
    if (type === undefined) continue;
    const arriving = (port: string): (Trail & { index: number })[] =>
      (node.inputs[port] ?? []).flatMap((ref, index) => [...(lineage.get(`${ref.nodeId}.${ref.port}`)?.values() ?? [])].map((trail) => ({ ...trail, index })));
    // What this node's role-bearing inputs bring, checked before its outputs exist.
    const tested = new Map<string, Trail>();
    for (const [port, spec] of Object.entries(type.inputs)) {
      if (spec.role === 'evaluate') for (const trail of arriving(port)) if (trail.part.split === 'test') tested.set(partKey(trail.part), trail);
    }
    for (const [port, spec] of Object.entries(type.inputs)) {
      if (spec.role === 'evaluate') continue;
      for (const trail of arriving(port)) {
        if (tested.has(partKey(trail.part))) findings.add('test', node, port, trail, input);
      }
    }
    const selecting = new Map<string, Trail>();
    for (const [port, spec] of Object.entries(type.inputs)) {
      if (spec.role === 'select') for (const trail of arriving(port)) if (trail.part.split === 'validation') selecting.set(partKey(trail.part), trail);
    }
    for (const [port, spec] of Object.entries(type.inputs)) {
      if (spec.role !== 'train') continue;
      for (const trail of arriving(port)) {
        const selector = selecting.get(partKey(trail.part));
        if (selector !== undefined) findings.add('validation', node, port, trail, input, selector.outputs[selector.outputs.length - 1]);
      }
    }
    // Then the lineage of each output.
    for (const [out, spec] of Object.entries(type.outputs)) {
      const here = `${node.id}.${out}`;
      const trails = new Map<string, Trail>();
      for (const split of spec.split ?? []) {
        const part = { source: node.id, port: out, split };
        trails.set(partKey(part), { part, outputs: [here] });
      }
      for (const port of spec.carries ?? Object.keys(type.inputs)) {
        const role = type.inputs[port]?.role;
        for (const trail of arriving(port)) {
          if (trails.has(partKey(trail.part))) continue;
          const learnt = trail.learnt ?? (role === 'train' || role === 'select' ? { node: node.id, role } : undefined);
          trails.set(partKey(trail.part), {
            part: trail.part,
            outputs: [...trail.outputs, here],
            entry: trail.entry ?? { node: node.id, port, index: trail.index },
            ...(learnt === undefined ? {} : { learnt }),
          });
        }
      }
      lineage.set(here, trails);
    }
  }
  return findings.diagnostics(input.validation);
}

/** Findings grouped by where the part enters and which part it is, so a matrix group makes one message. */
class Findings {
  private readonly groups = new Map<
    string,
    { kind: 'test' | 'validation'; trail: Trail; place: Place; consumers: { node: string; port: string }[]; selector?: string }
  >();

  /** `selector`: for a validation finding, the output that selects the epoch (e.g. `camus.val`). */
  add(kind: 'test' | 'validation', node: ResolvedNode, port: string, trail: Trail & { index: number }, input: LeakageInput, selector?: string): void {
    const entry = trail.entry ?? { node: node.id, port, index: trail.index };
    const key = `${kind}\u0000${entry.node}\u0000${entry.port}\u0000${entry.index}\u0000${partKey(trail.part)}\u0000${selector ?? ''}`;
    const group = this.groups.get(key) ?? {
      kind,
      trail,
      place: input.inputPlace(entry.node, entry.port, entry.index),
      consumers: [],
      ...(selector === undefined ? {} : { selector }),
    };
    if (!group.consumers.some((c) => c.node === node.id)) group.consumers.push({ node: node.id, port });
    this.groups.set(key, group);
  }

  diagnostics(validation: ValidationPolicy): { errors: Diagnostic[]; warnings: Diagnostic[] } {
    const errors: Diagnostic[] = [];
    const warnings: Diagnostic[] = [];
    for (const { kind, trail, place, consumers, selector } of this.groups.values()) {
      const path = `${trail.outputs.join(' → ')} → ${consumers[0].node} (${consumers[0].port})`;
      const where = `${trail.part.source}.${trail.part.port}`;
      const whose = `${trail.part.split} patients of ${trail.part.source}`;
      if (kind === 'test') {
        const learnt =
          trail.learnt === undefined ? '' : ` (${trail.learnt.role === 'train' ? 'the training data' : 'the model-selection data'} of ${trail.learnt.node})`;
        errors.push({
          ...place,
          message: `patient leak: the ${whose} (${where}) reach what ${listed(consumers.map((c) => c.node))} evaluates on them${learnt}: ${path}`,
          hint: `a model must never learn from, or be selected on, the patients it is tested on: keep ${where} out of every input upstream of the models it scores`,
        });
        continue;
      }
      if (validation === 'allow') continue;
      const diagnostic: Diagnostic = {
        ...place,
        message: `the ${whose} (${where}) reach the training data of ${listed(consumers.map((c) => c.node))}, whose epoch ${selector ?? 'they'} also selects: ${path}`,
        hint: `the model is then chosen on patients it has seen, which flatters it; train the branch on the training split only, or keep it on purpose with \`leakage: { validation: allow }\` (\`error\` refuses such a graph)`,
      };
      if (validation === 'error') errors.push(diagnostic);
      else warnings.push({ ...diagnostic, severity: 'warning' });
    }
    return { errors, warnings };
  }
}

function listed(ids: readonly string[]): string {
  if (ids.length === 1) return ids[0];
  const shown = ids.slice(0, 4).join(', ');
  return ids.length > 4 ? `${ids.length} nodes (${shown}, and ${ids.length - 4} more)` : `${ids.length} nodes (${shown})`;
}
