// Room experiment/: from a YAML file to a validated ResolvedExperiment — parsing with positions,
// extends, matrix, --set, params, references, schema checks, diagnostics, plugins.
// Imports only the engine's top files (node API, registry, errors); never keys/, cache/, run/, cli/, compute/.

import * as path from 'path';
import type { Diagnostic } from './diagnostic';
import { formatInvalidExperiment, sortDiagnostics } from './diagnostic';
import { fail, ok, UserError } from '../errors';
import type { Result } from '../errors';
import { isMapping, loadExperimentFiles } from './extends';
import type { ExperimentFiles, Place } from './extends';
import { buildGraph, findCycle, topologicalOrder } from './graph';
import { connectInputs } from './inputs';
import type { NodeIndex, WrittenInput } from './inputs';
import { expandMatrix } from './matrix';
import type { Expansion } from './matrix';
import type { NodeType } from '../node-api';
import { parseOverrides } from './overrides';
import type { Override } from './overrides';
import { resolveParams } from './params';
import { resolveClaims } from './claims';
import { checkLeakage, type ValidationPolicy } from './leakage';
import experimentSchema from '../../schemas/experiment.schema.json';
import type { ParamLayer } from './params';
import { loadPlugins } from './plugins';
import type { NodeRegistry } from '../registry';
import type { ResolvedExperiment, ResolvedNode } from './resolved';
import { IDENTIFIER_RULE, isSafeIdentifier, isSafeName, toSafeIdentifier } from './safe-name';
import { nodeSeed, MAX_SEED } from './node-seed';
import { didYouMean } from '../suggest';
import { declaredParams, describeValue, experimentProblems, paramsCheck } from './validate';
import type { SchemaProblem } from './validate';
import { dottedPath } from './yaml-source';
import type { PathSegment } from './yaml-source';

/**
 * Experiment loading: from a YAML file to a validated ResolvedExperiment, in numbered steps.
 * Nothing stops at the first mistake: every step reports what it finds and skips only what depends on
 * something already reported, so `cardigan validate` lists every problem at once.
 */

type AnyNodeType = NodeType<Record<string, unknown>>;

export interface LoadOptions {
  registry: NodeRegistry;
  /** `--set id.params.key=value` overrides, in command-line order. */
  set?: string[];
  /** The metric names a claim may use (the program's); undefined: any name is accepted here. */
  claimMetrics?: readonly string[];
  /** Folder that a relative `file` is resolved against and that file names in messages are shown relative to (default: the process's). */
  cwd?: string;
}

/** Loads an experiment or throws a UserError whose message prints every diagnostic. */
export async function loadExperiment(file: string, options: LoadOptions): Promise<ResolvedExperiment> {
  const result = await resolveExperiment(file, options);
  if (!result.ok) {
    const cwd = options.cwd ?? process.cwd();
    throw new UserError(formatInvalidExperiment(path.resolve(cwd, file), result.error, cwd));
  }
  return result.value;
}

/** Loads an experiment; failures are the sorted diagnostics (for tests and tools). */
export async function resolveExperiment(file: string, options: LoadOptions): Promise<Result<ResolvedExperiment, Diagnostic[]>> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  const { overrides, diagnostics: overrideDiagnostics } = parseOverrides(options.set ?? []);
  // 1. Read the file and its `extends` chain, merged into one document.
  const loaded = await loadExperimentFiles(absolute);
  if (loaded.files === undefined) return fail(sortDiagnostics([...loaded.diagnostics, ...overrideDiagnostics]));
  const resolver = new Resolver(loaded.files, options.registry, overrides, options.claimMetrics);
  const experiment = resolver.resolve(absolute);
  const diagnostics = [...loaded.diagnostics, ...overrideDiagnostics, ...resolver.diagnostics];
  return diagnostics.length > 0 ? fail(sortDiagnostics(diagnostics)) : ok(experiment);
}

/** A node as declared, after matrix expansion, before its inputs are connected. */
interface PendingNode {
  expansion: Expansion;
  template: string;
  raw: Record<string, unknown>;
  nodeType: AnyNodeType;
  params: Record<string, unknown>;
  seed: number;
  inputs: Record<string, WrittenInput>;
  declared: Place;
}

class Resolver {
  readonly diagnostics: Diagnostic[] = [];
  /** Node ids whose declaration is already reported as broken: references to them are not checked. */
  private readonly broken = new Set<string>();
  private readonly index = { nodes: new Map<string, { type?: AnyNodeType }>(), groups: new Map<string, string[]>() } satisfies NodeIndex;
  private readonly pending: PendingNode[] = [];
  private readonly checkedTypes = new Map<AnyNodeType, boolean>();
  /** Claims whose entry is already reported by the schema check: not resolved further. */
  private readonly brokenClaims = new Set<number>();

  constructor(
    private readonly files: ExperimentFiles,
    private readonly registry: NodeRegistry,
    private readonly overrides: Override[],
    private readonly claimMetrics: readonly string[] | undefined,
  ) {}

  private place(dataPath: PathSegment[], at: 'key' | 'value' = 'value'): Place {
    return this.files.place(dataPath, at);
  }

  private report(place: Place, message: string, hint?: string): void {
    this.diagnostics.push(hint === undefined ? { ...place, message } : { ...place, message, hint });
  }

  resolve(file: string): ResolvedExperiment {
    const merged = this.files.merged;
    // 2. Plugins first: the schema checks and node types below may need their types.
    this.diagnostics.push(...loadPlugins(this.files.plugins, this.registry));
    // 3. The experiment schema.
    const problems = experimentProblems(merged);
    // `typ: x` is one mistake: its did-you-mean says it all, "has no type" would repeat it.
    const misspeltType = new Set(
      problems.filter((p) => p.kind === 'unknown-key' && p.suggestion === 'type' && p.path.length === 3).map((p) => String(p.path[1])),
    );
    for (const problem of problems) {
      if (problem.kind === 'missing-key' && problem.key === 'type' && misspeltType.has(String(problem.path[1]))) this.broken.add(String(problem.path[1]));
      else this.reportExperimentProblem(problem);
    }
    // 4. Top-level fields.
    const name = this.resolveName(merged.name, file);
    const seed = this.resolveSeed(merged.seed);
    const report = this.resolveReport(merged.report);
    const defaults = isMapping(merged.defaults) ? merged.defaults : {};
    for (const type of Object.keys(defaults)) {
      if (!this.registry.has(type))
        this.report(this.place(['defaults', type], 'key'), `defaults for unknown node type "${type}"${didYouMean(type, this.registry.names())}`);
    }
    // 5. Nodes: type, matrix expansion, params, seed.
    const nodes = isMapping(merged.nodes) ? merged.nodes : {};
    for (const [id, raw] of Object.entries(nodes)) this.declareNode(id, raw, defaults, seed);
    this.checkOverrideTargets();
    // 6. References between nodes.
    const resolved = this.pending.map((node) => this.connect(node));
    // 7. The graph: cycles, then a topological order.
    const graph = buildGraph(resolved);
    const cycle = findCycle(graph);
    let ordered = resolved;
    if (cycle !== undefined) {
      const declared = this.pending.find((node) => node.expansion.id === cycle[0])?.declared ?? this.place(['nodes']);
      this.report(declared, `cycle: ${cycle.join(' → ')}`, 'a node cannot depend on its own output; remove one of these inputs');
    } else {
      const byId = new Map(resolved.map((node) => [node.id, node]));
      ordered = topologicalOrder(graph).map((id) => byId.get(id) as ResolvedNode);
    }
    const experiment: ResolvedExperiment = {
      name,
      file,
      seed,
      nodes: ordered,
      plugins: this.files.plugins.map((p) => p.path),
      files: this.files.chain.map((s) => s.file),
    };
    if (typeof merged.description === 'string') experiment.description = merged.description;
    if (report !== undefined) experiment.report = report;
    experiment.leakage = { validation: validationPolicy(merged.leakage) };
    // 8. Claims: each row resolved to the nodes it selects.
    const unresolved = [...Object.keys(nodes)].filter((id) => !resolved.some((node) => (node.group ?? node.id) === id));
    const claims = resolveClaims({
      raw: merged.claims,
      broken: this.brokenClaims,
      nodes: resolved,
      unresolved,
      metrics: this.claimMetrics,
      place: (p, at) => this.place(p, at),
    });
    this.diagnostics.push(...claims.diagnostics);
    if (claims.claims.length > 0) experiment.claims = claims.claims;
    // 9. Patient leakage along the graph, once the graph itself is sound.
    if (this.diagnostics.length === 0) {
      const pendingById = new Map(this.pending.map((p) => [p.expansion.id, p]));
      const leakage = checkLeakage({
        nodes: ordered,
        typeOf: (node) => pendingById.get(node.id)?.nodeType,
        inputPlace: (node, port, index) => {
          const pending = pendingById.get(node);
          const written = pending?.inputs[port];
          if (pending === undefined || written === undefined) return this.place(['nodes', node]);
          // A written list whose entries are one reference each: point at the entry itself.
          const one = Array.isArray(written.value) && written.value.length === (ordered.find((n) => n.id === node)?.inputs[port]?.length ?? -1);
          return this.place(one ? [...written.path, index] : written.path);
        },
        validation: validationPolicy(merged.leakage),
      });
      this.diagnostics.push(...leakage.errors);
      if (leakage.warnings.length > 0) experiment.warnings = sortDiagnostics(leakage.warnings);
    }
    return experiment;
  }

  private reportExperimentProblem(problem: SchemaProblem): void {
    const where = problem.path;
    if (where[0] === 'nodes' && where.length >= 2) this.broken.add(String(where[1]));
    if (where[0] === 'claims' && where.length >= 2) this.brokenClaims.add(Number(where[1]));
    switch (problem.kind) {
      case 'unknown-key': {
        const suggestion = problem.suggestion === undefined ? '' : ` — did you mean "${problem.suggestion}"?`;
        if (where.length === 1) {
          this.report(
            this.place(where, 'key'),
            `unknown top-level key "${problem.key}"${suggestion}`,
            'top-level keys: name, description, seed, extends, plugins, defaults, report, claims, leakage, nodes',
          );
        } else if (where.length === 3 && where[0] === 'claims') {
          this.report(
            this.place(where, 'key'),
            `unknown key "${problem.key}" in ${dotted(where.slice(0, -1))}${suggestion}`,
            'claim keys: id, says, a, relation, b, metric, margin, alpha, minSeeds, from',
          );
        } else if (where.length === 3 && where[0] === 'nodes') {
          this.report(
            this.place(where, 'key'),
            `unknown key "${problem.key}" in node "${where[1]}"${suggestion}`,
            'node keys: type, params, inputs, matrix, seed, description, label',
          );
        } else {
          this.report(this.place(where, 'key'), `unknown key "${problem.key}" in ${dotted(where.slice(0, -1))}${suggestion}`);
        }
        return;
      }
      case 'missing-key':
        if (where.length === 0 && problem.key === 'nodes') {
          this.report(this.place([]), 'the experiment has no "nodes"', 'add `nodes:` with one entry per node');
        } else if (where.length === 2 && where[0] === 'nodes' && problem.key === 'type') {
          this.report(this.place(where, 'key'), `node "${where[1]}" has no "type"`, `known node types: ${listNames(this.registry.names())}`);
        } else {
          this.report(this.place(where, 'key'), `${dotted(where)} is missing "${problem.key}"`);
        }
        return;
      case 'invalid':
        this.report(this.place(where), `${dotted(where)} ${problem.complaint}`);
        return;
    }
  }

  private resolveName(value: unknown, file: string): string {
    if (typeof value !== 'string') return toSafeIdentifier(path.basename(file).replace(/\.ya?ml$/, ''));
    if (!isSafeName(value)) {
      this.report(
        this.place(['name']),
        `experiment name "${value}" cannot be part of a folder name`,
        'use letters, digits, "_", "-" and "." (no "/", "\\", "..", spaces)',
      );
    }
    return value;
  }

  private resolveSeed(value: unknown): number {
    let seed = typeof value === 'number' && isSeed(value) ? value : 0;
    for (const override of this.overrides) {
      if (override.kind !== 'experiment-seed') continue;
      if (isSeed(override.value)) seed = override.value;
      else this.report(override.place.value, `seed must be an integer from 0 to ${MAX_SEED}, got ${describeValue(override.value)}`);
    }
    return seed;
  }

  /** The report page to write after a run: the file's `report`, unless `--set report=...` says otherwise (`null`: none). */
  private resolveReport(value: unknown): string | undefined {
    let report = typeof value === 'string' ? value : undefined;
    for (const override of this.overrides) {
      if (override.kind !== 'experiment-report') continue;
      if (override.value === null) report = undefined;
      else if (typeof override.value === 'string' && override.value !== '') report = override.value;
      else this.report(override.place.value, `report must be the path of an HTML file (or null for none), got ${describeValue(override.value)}`);
    }
    return report;
  }

  private declareNode(id: string, raw: unknown, defaults: Record<string, unknown>, experimentSeed: number): void {
    const declared = this.place(['nodes', id], 'key');
    if (!isSafeIdentifier(id)) {
      this.report(declared, `unsafe node id "${id}": node ids become cache folder names`, `${IDENTIFIER_RULE}, e.g. "${toSafeIdentifier(id)}"`);
      return;
    }
    this.index.nodes.set(id, {});
    if (this.broken.has(id) || !isMapping(raw) || typeof raw.type !== 'string') return;
    const nodeType = this.nodeType(id, raw.type);
    if (nodeType === undefined) return;
    const check = paramsCheck(nodeType.paramsSchema);
    if ('error' in check) return;

    let expansions: Expansion[] = [{ id, cells: [] }];
    if (isMapping(raw.matrix)) {
      this.index.nodes.delete(id);
      this.index.groups.set(id, []);
      const matrix = raw.matrix as Record<string, unknown[]>;
      const expanded = expandMatrix({
        nodeId: id,
        node: raw,
        matrix,
        nodeType,
        place: (p, at) => this.place(p, at),
        sameFile: (a, b) => this.files.sourceIndex(a) === this.files.sourceIndex(b),
      });
      this.diagnostics.push(...expanded.diagnostics);
      expansions = expanded.expansions;
    }
    const paramNames = declaredParams(nodeType.paramsSchema).names;
    const paramsDeclared = this.files.has(['nodes', id, 'params']) ? this.place(['nodes', id, 'params'], 'key') : declared;
    const baseLayers: ParamLayer[] = [];
    if (isMapping(defaults[raw.type])) {
      const type = raw.type;
      baseLayers.push({ from: 'defaults', values: defaults[type] as Record<string, unknown>, place: (p, at) => this.place(['defaults', type, ...p], at) });
    }
    if (isMapping(raw.params)) baseLayers.push({ from: 'node', values: raw.params, place: (p, at) => this.place(['nodes', id, 'params', ...p], at) });
    const writtenInputs: Record<string, WrittenInput> = {};
    for (const [port, value] of Object.entries(isMapping(raw.inputs) ? raw.inputs : {})) writtenInputs[port] = { value, path: ['nodes', id, 'inputs', port] };

    for (const expansion of expansions) {
      const layers = [...baseLayers];
      const inputs = { ...writtenInputs };
      let seed = typeof raw.seed === 'number' ? raw.seed : undefined;
      for (const cell of expansion.cells) {
        const cellPath = ['nodes', id, 'matrix', cell.key, cell.index];
        if (cell.role === 'input') inputs[cell.key] = { value: cell.value, path: cellPath };
        else if (cell.role === 'param')
          layers.push({ from: 'matrix', values: { [cell.key]: cell.value }, place: (p, at) => this.place([...cellPath, ...p.slice(1)], at) });
        else if (isSeed(cell.value)) seed = cell.value;
        else this.report(this.place(cellPath), `matrix seed of node "${id}" must be an integer from 0 to ${MAX_SEED}, got ${describeValue(cell.value)}`);
      }
      for (const override of this.overridesFor(expansion.id, id)) {
        if (override.kind === 'param') layers.push({ from: 'set', path: override.path, value: override.value, place: override.place });
        else if (isSeed(override.value)) seed = override.value;
        else this.report(override.place.value, `seed must be an integer from 0 to ${MAX_SEED}, got ${describeValue(override.value)}`);
      }
      const { params, diagnostics } = resolveParams({ nodeName: id, typeName: nodeType.type, check, paramNames, layers, declared: paramsDeclared });
      this.diagnostics.push(...diagnostics);
      this.index.nodes.set(expansion.id, { type: nodeType });
      if (expansion.cells.length > 0) this.index.groups.get(id)?.push(expansion.id);
      this.pending.push({ expansion, template: id, raw, nodeType, params, seed: seed ?? nodeSeed(experimentSeed, expansion.id), inputs, declared });
    }
  }

  /** The node type of a node, reported when unknown or unusable. */
  private nodeType(id: string, typeName: string): AnyNodeType | undefined {
    const found = this.registry.lookup(typeName);
    const typePlace = this.place(['nodes', id, 'type']);
    if ('error' in found) {
      this.report(typePlace, found.error, found.error.includes('did you mean') ? undefined : `known node types: ${listNames(this.registry.names())}`);
      return undefined;
    }
    let usable = this.checkedTypes.get(found);
    if (usable === undefined) {
      usable = true;
      const check = paramsCheck(found.paramsSchema);
      if ('error' in check) {
        this.report(
          typePlace,
          `node type "${typeName}" has an invalid params schema: ${check.error}`,
          'this is a bug in the node type (or its plugin), not in the experiment',
        );
        usable = false;
      }
      const unsafePorts = [...Object.keys(found.inputs), ...Object.keys(found.outputs)].filter((port) => !isSafeIdentifier(port));
      if (unsafePorts.length > 0) {
        this.report(typePlace, `node type "${typeName}" declares unsafe port names: ${unsafePorts.map((p) => JSON.stringify(p)).join(', ')}`, IDENTIFIER_RULE);
        usable = false;
      }
      const lineage = lineageProblems(found);
      if (lineage.length > 0) {
        this.report(
          typePlace,
          `node type "${typeName}" declares its subject lineage wrongly: ${lineage.join('; ')}`,
          'this is a bug in the node type (or its plugin), not in the experiment',
        );
        usable = false;
      }
      this.checkedTypes.set(found, usable);
    }
    return usable ? found : undefined;
  }

  private overridesFor(id: string, group: string): Override[] {
    return this.overrides.filter((o) => (o.kind === 'param' || o.kind === 'node-seed') && (o.nodeId === id || o.nodeId === group));
  }

  private checkOverrideTargets(): void {
    for (const override of this.overrides) {
      if (
        override.kind === 'experiment-seed' ||
        override.kind === 'experiment-report' ||
        this.index.nodes.has(override.nodeId) ||
        this.index.groups.has(override.nodeId)
      )
        continue;
      // A group whose matrix is already reported has no members to match.
      const group = this.index.groups.get(override.nodeId.split('[')[0]);
      if (group !== undefined && group.length === 0) continue;
      const candidates = override.nodeId.includes('[')
        ? [...this.index.nodes.keys()]
        : [...this.index.nodes.keys()].filter((n) => !n.includes('[')).concat([...this.index.groups.keys()]);
      this.report(override.place.nodeId, `--set names unknown node "${override.nodeId}"${didYouMean(override.nodeId, candidates)}`);
    }
  }

  private connect(node: PendingNode): ResolvedNode {
    const { expansion, template, raw, nodeType } = node;
    const { inputs, diagnostics } = connectInputs({ name: template, nodeType, inputs: node.inputs, declared: node.declared }, this.index, (p, at) =>
      this.place(p, at),
    );
    this.diagnostics.push(...diagnostics);
    const resolved: ResolvedNode = {
      id: expansion.id,
      type: nodeType.type,
      params: node.params,
      inputs,
      seed: node.seed,
      location: { file: node.declared.file, line: node.declared.line, col: node.declared.col },
    };
    if (expansion.cells.length > 0) {
      resolved.group = template;
      resolved.matrix = Object.fromEntries(expansion.cells.map((cell) => [cell.key, cell.label]));
    }
    if (typeof raw.label === 'string') resolved.label = raw.label;
    if (typeof raw.description === 'string') resolved.description = raw.description;
    return resolved;
  }
}

/** `leakage.validation`, else its default in the experiment schema (the one place it is written). */
function validationPolicy(leakage: unknown): ValidationPolicy {
  const written = isMapping(leakage) ? leakage.validation : undefined;
  return (written ?? experimentSchema.properties.leakage.properties.validation.default) as ValidationPolicy;
}

/** What a node type's `role`, `carries` and `split` declarations get wrong (each belongs on one side). */
function lineageProblems(type: AnyNodeType): string[] {
  const problems: string[] = [];
  for (const [port, spec] of Object.entries(type.inputs)) {
    if (spec.carries !== undefined || spec.split !== undefined) problems.push(`input "${port}" has carries/split, which only outputs have`);
  }
  for (const [port, spec] of Object.entries(type.outputs)) {
    if (spec.role !== undefined) problems.push(`output "${port}" has a role, which only inputs have`);
    for (const carried of spec.carries ?? []) if (!(carried in type.inputs)) problems.push(`output "${port}" carries "${carried}", which is no input port`);
  }
  return problems;
}

function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED;
}

function dotted(where: readonly PathSegment[]): string {
  return where.length === 0 ? 'the experiment' : dottedPath(where);
}

function listNames(names: string[]): string {
  return names.length === 0 ? '(none registered)' : names.length > 20 ? `${names.slice(0, 20).join(', ')}, ...` : names.join(', ');
}
