import type { Diagnostic } from './diagnostic';
import type { Place } from './extends';
import type { ClaimRelation, ClaimRow, ResolvedClaim, ResolvedNode } from './resolved';
import { didYouMean } from '../suggest';
import type { PathSegment } from './yaml-source';

/**
 * The experiment's `claims:` (already checked against the experiment schema), with each row resolved
 * to the nodes it selects. A row is a node id, or a matrix group narrowed by some of its values
 * (`unet[train=camuspp]` selects every seed of that cell); the nodes one row selects may differ only
 * by their `seed` matrix value, since a row over other differences would average unlike models.
 */

/** The matrix key whose members are one row's seeds (as in evaluate's Table 1). */
const SEED_KEY = 'seed';

export interface ClaimsInput {
  /** The merged document's `claims` (schema-checked); entries listed in `broken` are skipped. */
  raw: unknown;
  /** Indices of claims the schema check already reported. */
  broken: ReadonlySet<number>;
  nodes: readonly ResolvedNode[];
  /** Node ids declared but not resolved (already reported): a row naming one is not reported again. */
  unresolved: readonly string[];
  /** The metric names the program can look up; undefined: not checked here. */
  metrics?: readonly string[];
  place: (dataPath: PathSegment[], at?: 'key' | 'value') => Place;
}

export function resolveClaims(input: ClaimsInput): { claims: ResolvedClaim[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const claims: ResolvedClaim[] = [];
  if (!Array.isArray(input.raw)) return { claims, diagnostics };
  const seen = new Set<string>();
  input.raw.forEach((entry: unknown, index) => {
    if (input.broken.has(index) || typeof entry !== 'object' || entry === null) return;
    const written = entry as Record<string, unknown>;
    const at = (key: string): Place => input.place(['claims', index, key]);
    const report = (place: Place, message: string, hint?: string): void => {
      diagnostics.push(hint === undefined ? { ...place, message } : { ...place, message, hint });
    };
    const id = String(written.id);
    if (seen.has(id)) report(at('id'), `two claims are called "${id}"`, 'give every claim its own id');
    seen.add(id);
    const relation = written.relation as ClaimRelation;
    const margin = typeof written.margin === 'number' ? written.margin : undefined;
    if (relation === '≈' && margin === undefined)
      report(at('relation'), `claim "${id}" says ≈ but gives no margin`, "add `margin:` (the largest |a − b| that counts as equal, in the metric's unit)");
    if (relation !== '≈' && margin !== undefined) report(at('margin'), `claim "${id}" says ${relation}: a margin only applies to ≈`);
    const metric = String(written.metric);
    if (input.metrics !== undefined && !input.metrics.includes(metric)) {
      report(at('metric'), `unknown metric "${metric}" in claim "${id}"${didYouMean(metric, input.metrics)}`, `metrics: ${input.metrics.join(', ')}`);
    }
    const a = selectRow(String(written.a), input.nodes);
    const b = selectRow(String(written.b), input.nodes);
    const reported = (row: string): boolean => input.unresolved.includes(parseRow(row)?.base ?? row);
    if (!a.ok && !reported(String(written.a))) report(at('a'), `claim "${id}": ${a.message}`, a.hint);
    if (!b.ok && !reported(String(written.b))) report(at('b'), `claim "${id}": ${b.message}`, b.hint);
    if (!a.ok || !b.ok) return;
    if (a.row.ids.some((node) => b.row.ids.includes(node))) {
      report(at('b'), `claim "${id}" compares "${a.row.written}" with "${b.row.written}", which share nodes`, 'a claim compares two different rows');
      return;
    }
    const claim: ResolvedClaim = {
      id,
      a: a.row,
      relation,
      b: b.row,
      metric,
      alpha: written.alpha as number,
      minSeeds: written.minSeeds as number,
      from: String(written.from),
      location: locationOf(input.place(['claims', index], 'value')),
    };
    if (typeof written.says === 'string') claim.says = written.says;
    if (margin !== undefined) claim.margin = margin;
    claims.push(claim);
  });
  return { claims, diagnostics };
}

function locationOf(place: Place): ResolvedClaim['location'] {
  return { file: place.file, line: place.line, col: place.col };
}

type Selection = { ok: true; row: ClaimRow } | { ok: false; message: string; hint?: string };

/** `unet[train=camuspp]` → base `unet` and the cells it fixes; `camus` → base `camus`, no cells. */
function parseRow(written: string): { base: string; cells: [string, string][] } | undefined {
  const match = /^([^[\]]+)(?:\[([^[\]]*)\])?$/.exec(written.trim());
  if (match === null) return undefined;
  if (match[2] === undefined) return { base: match[1], cells: [] };
  const cells = match[2].split(',').map((cell): [string, string] => {
    const at = cell.indexOf('=');
    return at < 0 ? [cell.trim(), ''] : [cell.slice(0, at).trim(), cell.slice(at + 1).trim()];
  });
  return { base: match[1], cells };
}

/** The nodes a row selects: the node of that exact id, else the members of its group that match every cell. */
export function selectRow(written: string, nodes: readonly ResolvedNode[]): Selection {
  const exact = nodes.find((node) => node.id === written);
  if (exact !== undefined) return { ok: true, row: { written, ids: [exact.id] } };
  const parsed = parseRow(written);
  const names = [...new Set(nodes.flatMap((node) => (node.group === undefined ? [node.id] : [node.group, node.id])))];
  if (parsed === undefined) return { ok: false, message: `"${written}" is not a node id or a matrix group with values, like unet[train=camus]` };
  const members = nodes.filter((node) => (node.group ?? node.id) === parsed.base);
  if (members.length === 0) return { ok: false, message: `"${written}" names no node${didYouMean(parsed.base, names)}` };
  const selected = members.filter((node) => parsed.cells.every(([key, value]) => node.matrix?.[key] === value));
  if (selected.length === 0) {
    return {
      ok: false,
      message: `"${written}" selects no node of "${parsed.base}"${didYouMean(
        written,
        members.map((m) => m.id),
      )}`,
      hint: `its nodes: ${members.map((m) => m.id).join(', ')}`,
    };
  }
  const fixed = new Set(parsed.cells.map(([key]) => key));
  const varying = Object.keys(selected[0].matrix ?? {}).filter(
    (key) => key !== SEED_KEY && !fixed.has(key) && new Set(selected.map((node) => node.matrix?.[key])).size > 1,
  );
  if (varying.length > 0) {
    const key = varying[0];
    const values = [...new Set(selected.map((node) => node.matrix?.[key]))].join(', ');
    return {
      ok: false,
      message: `"${written}" selects ${selected.length} nodes that differ in ${key} (${values}), not only by seed`,
      hint: `name one value, e.g. "${parsed.base}[${[...parsed.cells.map(([k, v]) => `${k}=${v}`), `${key}=${selected[0].matrix?.[key]}`].join(',')}]"`,
    };
  }
  return { ok: true, row: { written, ids: selected.map((node) => node.id) } };
}
