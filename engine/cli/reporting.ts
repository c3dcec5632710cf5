/**
 * The public surface for domain commands and report builders that read an experiment and the cache:
 * loading an experiment for a command, what a report reads, writing the report, the experiment's DAG.
 * It loads the experiment loader's libraries (ajv, yaml, graphology): import it only from modules that
 * run when such a command runs, never from a node definition or the program's command table.
 */
export { loadForCommand } from './commands/load';
export { describeWrittenReport, type ReportBuilder, type WrittenReport, writeReport } from '../run/report-output';
export type { NodeEntry, NodeSource, ReportSource } from '../run/report-source';
export { buildGraph } from '../experiment/graph';
export type { ClaimEvidence, ClaimSupport, PairedEvidence, RowEvidence } from '../claims/evidence';
export { type CheckedClaim, checkClaims } from '../claims/check';
export { claimText, outcomeLines, verdictLine } from '../claims/render';
export { type ClaimOutcome, type Verdict, verdictOf } from '../claims/verdict';
