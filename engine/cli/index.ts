/**
 * The CLI room's public surface for a program that embeds the engine (nodes/cardigan.ts) and for its
 * domain commands and report: the entry point, commands and their arguments, loading an experiment for
 * a command, and what a report reads from the cache.
 */
export { main, commandTable, ENGINE_COMMANDS } from './main';
export { type Command, type CommandEntry, type CommandTable, defineCommand, type Program } from './command';
export { CACHE_OPTIONS, type CommandSpec, EXPERIMENT_OPTIONS, EXPERIMENT_POSITIONAL, parseCommandArgs, usageText, type ValueType } from './args';
export { loadForCommand } from './commands/load';
export { describeWrittenReport, type ReportBuilder, type WrittenReport, writeReport } from '../run/report-output';
export type { NodeEntry, NodeSource, ReportSource } from '../run/report-source';
export { buildGraph } from '../experiment/graph';
export type { ClaimEvidence, ClaimSupport, PairedEvidence, RowEvidence } from '../claims/evidence';
export { type CheckedClaim, checkClaims } from '../claims/check';
export { claimText, outcomeLines, verdictLine } from '../claims/render';
export { type ClaimOutcome, type Verdict, verdictOf } from '../claims/verdict';
