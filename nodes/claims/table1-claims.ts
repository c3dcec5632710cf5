import { fail, ok, type ResolvedClaim, type ResolvedExperiment } from '../../engine';
import type { ClaimSupport } from '../../engine/cli/reporting';

/**
 * Claims about Table 1, as `cardigan check` decides them: a row is the evaluate node's scores of the
 * row's models (one per seed), a metric is one of Table 1's columns, and the evidence is read from the
 * evaluate node that scored every model of both rows. Kept free of heavy imports: every command that
 * reads an experiment asks for the metric names; only `check` reads files (read-evidence.ts).
 */

/** `<metric>_<structure>` as in table1.csv (nodes/evaluate/table1.ts); a test keeps it equal to METRIC_NAMES × STRUCTURE_NAMES. */
export const CLAIM_METRICS: readonly string[] = [
  'dice_endo',
  'dice_epi',
  'dice_la',
  'hd_endo',
  'hd_epi',
  'hd_la',
  'assd_endo',
  'assd_epi',
  'assd_la',
  'mad_endo',
  'mad_epi',
  'mad_la',
  'hd95_endo',
  'hd95_epi',
  'hd95_la',
];

/**
 * The evaluate node's port of models. The first node whose `models` hold every model of both rows
 * decides the claim: evaluate itself, or a plugin's evaluator that writes evaluate's files.
 */
const MODELS_PORT = 'models';

export function evidenceNode(claim: ResolvedClaim, experiment: ResolvedExperiment): ReturnType<ClaimSupport['evidenceNode']> {
  const wanted = [...claim.a.ids, ...claim.b.ids];
  const scorer = experiment.nodes.find((node) => wanted.every((id) => (node.inputs[MODELS_PORT] ?? []).some((ref) => ref.nodeId === id)));
  if (scorer !== undefined) return ok(scorer.id);
  return fail(`no evaluate node scores every model of both rows (${wanted.join(', ')}): give them all to one evaluate node's ${MODELS_PORT}`);
}

export const TABLE1_CLAIMS: ClaimSupport = {
  metrics: CLAIM_METRICS,
  evidenceNode,
  read: (claim, entry) => (require('./read-evidence') as typeof import('./read-evidence')).readEvidence(claim, entry),
};
