import type { ValidationPolicy } from '../experiment/resolved';
import type { NodeType, SubjectGroup, SubjectLineage } from '../node-api';

/**
 * Patient leakage, checked again just before a node that trains or evaluates runs, on the patients its
 * inputs actually record (SubjectLineage) rather than on the graph: a subject is its source and id, so
 * two loaders of one cohort, or a folder of masks of known patients, meet here where the graph check
 * (engine/experiment/leakage.ts) sees unrelated parts. The same two questions:
 *
 * - a node evaluates on some subjects (a `role: evaluate` input's `held`): is any of them in what a
 *   model among its other inputs learnt from (`trained`) or was selected on (`selected`)? A leak: the
 *   node fails.
 * - a node selects its epoch on some subjects (a `role: select` input's `held`): is any of them behind
 *   its training data (a `role: train` input, any kind)? As `leakage.validation` says: warn, error, or nothing.
 *
 * Pure: findings are data, worded by describeFinding.
 */

/** One connected input artifact and the lineage its producer recorded. */
export interface InputLineage {
  port: string;
  /** The reference that produced it, e.g. `unet.model`. */
  from: string;
  lineage: SubjectLineage;
}

/** Subjects found where they must not be, from one source and part of its split. */
export type LeakedGroup = SubjectGroup;

export type LineageFinding =
  | {
      reason: 'test-subjects-learnt';
      node: string;
      /** The input evaluated on, e.g. `camus.test`. */
      evaluated: string;
      /** The input whose lineage holds them (a model) and its port. */
      from: string;
      port: string;
      /** How the model met them: learnt from them, or picked its epoch on them. */
      as: 'trained' | 'selected';
      subjects: LeakedGroup[];
    }
  | {
      reason: 'selection-subjects-learnt';
      /** From the experiment's `leakage.validation`: an error or a warning. */
      severity: 'error' | 'warning';
      node: string;
      /** The input that selects the epoch, e.g. `camus.val`. */
      selecting: string;
      from: string;
      port: string;
      subjects: LeakedGroup[];
    };

const subjectKey = (source: string, id: string): string => `${source}\u0000${id}`;

/** The findings for a node of `type` about to run on inputs of these lineages. */
export function checkInputLineage(
  node: string,
  type: Pick<NodeType, 'inputs'>,
  inputs: readonly InputLineage[],
  validation: ValidationPolicy,
): LineageFinding[] {
  const role = (input: InputLineage) => type.inputs[input.port]?.role;
  const findings: LineageFinding[] = [];
  for (const evaluated of inputs.filter((input) => role(input) === 'evaluate')) {
    const tested = keysOf(evaluated.lineage.held);
    for (const input of inputs.filter((other) => role(other) !== 'evaluate')) {
      for (const as of ['trained', 'selected'] as const) {
        const subjects = within(input.lineage[as], tested);
        if (subjects.length > 0)
          findings.push({ reason: 'test-subjects-learnt', node, evaluated: evaluated.from, from: input.from, port: input.port, as, subjects });
      }
    }
  }
  if (validation === 'allow') return findings;
  for (const selecting of inputs.filter((input) => role(input) === 'select')) {
    const chosenOn = keysOf(selecting.lineage.held);
    for (const input of inputs.filter((other) => role(other) === 'train')) {
      const behind = [...input.lineage.held, ...input.lineage.trained, ...input.lineage.selected];
      const subjects = within(behind, chosenOn);
      if (subjects.length > 0)
        findings.push({
          reason: 'selection-subjects-learnt',
          severity: validation === 'error' ? 'error' : 'warning',
          node,
          selecting: selecting.from,
          from: input.from,
          port: input.port,
          subjects,
        });
    }
  }
  return findings;
}

export function isError(finding: LineageFinding): boolean {
  return finding.reason === 'test-subjects-learnt' || finding.severity === 'error';
}

/** The first subject of a finding, whose path describeFinding shows. */
export function firstSubject(finding: LineageFinding): { source: string; id: string } {
  const [group] = finding.subjects;
  return { source: group.source, id: group.ids[0] };
}

/**
 * One line (the terminal shows a failure's first line): the node, the patients (a few), the path the
 * first of them took (`trail`: the outputs it passed, its origin first), and the fix.
 */
export function describeFinding(finding: LineageFinding, trail: readonly string[]): string {
  const path = `${[...(trail.length > 0 ? trail : [finding.from])].join(' → ')} → ${finding.node} (${finding.port})`;
  const who = patients(finding.subjects);
  if (finding.reason === 'test-subjects-learnt') {
    const what = finding.as === 'trained' ? 'the training data' : 'the model-selection data';
    return (
      `${finding.node}: patient leak: ${who} that ${finding.node} evaluates on (${finding.evaluated}) ${verb(finding.subjects)} in ${what} of ${finding.from}${splitsThere(finding.subjects)}: ${path}; ` +
      `fix: keep these patients out of every input upstream of the models ${finding.node} scores (loaders of one cohort share its patients, whatever their node ids: take the training and the test data from one loader)`
    );
  }
  return (
    `${finding.node}: ${who} that pick its epoch (${finding.selecting}) ${verb(finding.subjects)} also behind its training data: ${path}; ` +
    `the model is then chosen on patients it has seen, which flatters it: train on other patients, or keep it on purpose with \`leakage: { validation: allow }\``
  );
}

/** `3 patients of synthetic:1 (patient0002, patient0005, patient0009)`, at most four ids shown. */
function patients(groups: readonly LeakedGroup[]): string {
  const total = groups.reduce((n, group) => n + group.ids.length, 0);
  const shown = groups.flatMap((group) => group.ids).slice(0, 4);
  const more = total > shown.length ? `, and ${total - shown.length} more` : '';
  const sources = [...new Set(groups.map((group) => group.source))].join(', ');
  return `${total} patient${total === 1 ? '' : 's'} of ${sources} (${shown.join(', ')}${more})`;
}

function verb(groups: readonly LeakedGroup[]): string {
  return groups.reduce((n, group) => n + group.ids.length, 0) === 1 ? 'is' : 'are';
}

/** ` (loaded there as train patients)`: the split their loader gave them on the way in, which tells two loaders apart. */
function splitsThere(groups: readonly LeakedGroup[]): string {
  const splits = [...new Set(groups.map((group) => group.split))].filter((split) => split !== 'none');
  return splits.length === 0 ? '' : ` (loaded there as ${splits.join(' and ')} patients)`;
}

function keysOf(groups: readonly SubjectGroup[]): Set<string> {
  return new Set(groups.flatMap((group) => group.ids.map((id) => subjectKey(group.source, id))));
}

/** The part of `groups` whose subjects are in `keys`, group by group. */
function within(groups: readonly SubjectGroup[], keys: ReadonlySet<string>): LeakedGroup[] {
  const found = new Map<string, LeakedGroup>();
  for (const group of groups) {
    const ids = group.ids.filter((id) => keys.has(subjectKey(group.source, id)));
    if (ids.length === 0) continue;
    const at = `${group.source}\u0000${group.split}`;
    const seen = found.get(at);
    if (seen === undefined) found.set(at, { source: group.source, split: group.split, ids: [...new Set(ids)] });
    else seen.ids = [...new Set([...seen.ids, ...ids])];
  }
  return [...found.values()];
}

export function lineageHas(lineage: SubjectLineage, subject: { source: string; id: string }): boolean {
  return [lineage.held, lineage.trained, lineage.selected].some((groups) =>
    groups.some((group) => group.source === subject.source && group.ids.includes(subject.id)),
  );
}
