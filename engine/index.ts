/**
 * The engine's public surface for node authors, built-in and plugin alike: the node API, errors,
 * artifact helpers. It loads no npm package, so a node type's definition may import it freely.
 * The other surfaces: `engine/compute` (tfjs helpers: loads tfjs), `engine/cli` (a program and its
 * commands and arguments) and `engine/cli/reporting` (loading an experiment for a command, reports:
 * loads ajv, yaml, graphology). Nothing in nodes/ imports any other engine file.
 */
export {
  type CheckpointStore,
  defineNode,
  type InputArtifact,
  type JsonSchema,
  lazyRun,
  many,
  type NodeContext,
  type NodeImplementation,
  type NodeInputs,
  type NodeType,
  type OutputArtifact,
  optional,
  type PortSpec,
  type PortType,
  type ProgressUpdate,
  type ResourceClass,
  type SubjectGroup,
  type SubjectLineage,
  type SubjectRole,
  type SubjectSplit,
  single,
  VOLATILE_FOLDER,
} from './node-api';
export { firstErrorLine, UsageError, UserError, unreachable } from './errors';
export { closest, didYouMean } from './suggest';
export { exists, writeFileAtomic } from './fs-atomic';
export { shortKey } from './keys/key';
export { cardiganVersion, projectRoot } from './cache/package-info';
export type { ClaimRow, InputRef, ResolvedClaim, ResolvedExperiment, ResolvedNode, SourceLocation } from './experiment/resolved';
export { fail, ok, type Result } from './errors';
export { NodeRegistry } from './registry';
