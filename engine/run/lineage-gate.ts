import type { ResolvedNode, ValidationPolicy } from '../experiment/resolved';
import type { JobInput } from '../keys/job';
import type { NodeType, SubjectLineage } from '../node-api';
import { checkInputLineage, describeFinding, firstSubject, type InputLineage, isError, type LineageFinding, lineageHas } from './lineage-check';

/**
 * The run-time leakage check's reading side: before a node whose inputs have a `role` runs, its
 * inputs' lineage records are read through their producers' `readLineage` (engine/node-api.ts), checked
 * (lineage-check.ts), and each finding is worded with the path its first patient took, found by
 * walking back through the producers whose own outputs record that patient. Reads are shared by the
 * whole run: a matrix of models reads its datasets once.
 */

export interface GateParts {
  nodes: readonly ResolvedNode[];
  typeOf(node: ResolvedNode): NodeType<Record<string, unknown>>;
  /** The key of a node's entry once it has one in this run (cached or done); undefined before, or never. */
  keyOf(nodeId: string): string | undefined;
  outputDir(key: string, port: string): string;
  validation: ValidationPolicy;
}

export interface GateVerdict {
  /** One line each; any error means the node must not run. */
  errors: string[];
  warnings: string[];
  findings: LineageFinding[];
}

export class LineageGate {
  private readonly byId: Map<string, ResolvedNode>;
  private readonly reads = new Map<string, Promise<SubjectLineage | undefined>>();

  constructor(private readonly parts: GateParts) {
    this.byId = new Map(parts.nodes.map((node) => [node.id, node]));
  }

  /** Whether a node of this type is checked at all: some input trains, selects or evaluates. */
  static concerns(type: Pick<NodeType, 'inputs'>): boolean {
    return Object.values(type.inputs).some((spec) => spec.role !== undefined);
  }

  async check(node: ResolvedNode, inputs: Readonly<Record<string, JobInput[]>>): Promise<GateVerdict> {
    const type = this.parts.typeOf(node);
    if (!LineageGate.concerns(type)) return { errors: [], warnings: [], findings: [] };
    const recorded: InputLineage[] = [];
    for (const [port, refs] of Object.entries(inputs)) {
      for (const ref of refs) {
        const lineage = await this.read(ref.nodeId, ref.port, ref.key);
        if (lineage !== undefined) recorded.push({ port, from: ref.from, lineage });
      }
    }
    const findings = checkInputLineage(node.id, type, recorded, this.parts.validation);
    const verdict: GateVerdict = { errors: [], warnings: [], findings };
    for (const finding of findings) {
      const start = inputs[finding.port]?.find((ref) => ref.from === finding.from);
      const trail = start === undefined ? [] : await this.trail(start.nodeId, start.port, firstSubject(finding));
      (isError(finding) ? verdict.errors : verdict.warnings).push(describeFinding(finding, trail));
    }
    return verdict;
  }

  /** The outputs a subject passed through to reach `nodeId.port`, its origin (the output that first records it) first. */
  private async trail(nodeId: string, port: string, subject: { source: string; id: string }): Promise<string[]> {
    const trail = [`${nodeId}.${port}`];
    let at: { nodeId: string; port: string } | undefined = { nodeId, port };
    for (let steps = 0; at !== undefined && steps < this.parts.nodes.length; steps++) {
      const node = this.byId.get(at.nodeId);
      if (node === undefined) break;
      const type = this.parts.typeOf(node);
      const carried = type.outputs[at.port]?.carries ?? Object.keys(type.inputs);
      let next: { nodeId: string; port: string } | undefined;
      for (const ref of carried.flatMap((input) => node.inputs[input] ?? [])) {
        const key = this.parts.keyOf(ref.nodeId);
        const lineage = key === undefined ? undefined : await this.read(ref.nodeId, ref.port, key);
        if (lineage !== undefined && lineageHas(lineage, subject)) {
          next = ref;
          break;
        }
      }
      if (next !== undefined) trail.unshift(`${next.nodeId}.${next.port}`);
      at = next;
    }
    return trail;
  }

  private read(nodeId: string, port: string, key: string): Promise<SubjectLineage | undefined> {
    const at = `${key}\u0000${port}`;
    let reading = this.reads.get(at);
    if (reading === undefined) {
      const producer = this.byId.get(nodeId);
      const readLineage = producer === undefined ? undefined : this.parts.typeOf(producer).readLineage;
      const dir = this.parts.outputDir(key, port);
      reading =
        readLineage === undefined
          ? Promise.resolve(undefined)
          : readLineage({ port, dir }).catch((error: unknown) => {
              throw new Error(
                `${nodeId}.${port}: its lineage record cannot be read (${(error as Error).message}); rerun that node with \`cardigan run --force ${nodeId}\` to rewrite it`,
              );
            });
      this.reads.set(at, reading);
    }
    return reading;
  }
}
