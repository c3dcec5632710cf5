// Room cli/: the command line — the entry point, arguments, one file per command, the terminal and
// JSON-lines reporters, the plan and graph views, and the Program a caller hands the engine.
// May import every other room; no room imports it.

/**
 * The public surface for a program that embeds the engine (nodes/cardigan.ts) and for its domain
 * commands: the entry point, the Program, commands and their arguments. It loads no npm package, so
 * `cardigan --help` stays cheap; what a command needs to load an experiment or write a report is in
 * `engine/cli/reporting.ts`, imported only by the command modules and the report that use it.
 */
export { main, commandTable, ENGINE_COMMANDS } from './main';
export { type Command, type CommandEntry, type CommandTable, defineCommand, type Program } from './command';
export { CACHE_OPTIONS, type CommandSpec, EXPERIMENT_OPTIONS, EXPERIMENT_POSITIONAL, parseCommandArgs, usageText, type ValueType } from './args';
