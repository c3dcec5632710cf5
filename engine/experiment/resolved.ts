import type { Diagnostic } from './diagnostic';

/**
 * An experiment after loading: extends merged, defaults applied, matrix expanded, overrides set,
 * params validated, references resolved, seeds derived. This is the hand-off between experiment
 * loading (experiment.ts and friends) and planning/running (key.ts, scheduler.ts).
 */

/** A position in an experiment file, for errors that point at the source. */
export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

/** One upstream output feeding a port: `camus.train` is { nodeId: 'camus', port: 'train' }. */
export interface InputRef {
  nodeId: string;
  port: string;
}

export interface ResolvedNode {
  /** Unique id; matrix nodes carry their combination, e.g. `unet[train=camusx]`. */
  id: string;
  type: string;
  /** Params after type defaults, experiment `defaults`, node params and `--set`, validated by the schema. */
  params: Record<string, unknown>;
  /**
   * Every connected port as a list (an unconnected optional port is absent); ports declared `multiple`
   * receive the list, the others its single element.
   */
  inputs: Record<string, InputRef[]>;
  /** Derived from the experiment seed and the node id (or the node's own `seed`). */
  seed: number;
  /** The matrix group this node was expanded from, e.g. `unet`; undefined for plain nodes. */
  group?: string;
  /** Where the node is declared. */
  location?: SourceLocation;
  /** Matrix key → the label of this node's value, e.g. { train: 'camusx', lr: '0.01' }. */
  matrix?: Record<string, string>;
  /** Cosmetic (never in params or keys): shown by `cardigan graph` and reports. */
  label?: string;
  /** Cosmetic (never in params or keys). */
  description?: string;
}

/** What validation patients in a model's training data are (`leakage.validation`): a warning, an error, or nothing. */
export type ValidationPolicy = 'warn' | 'error' | 'allow';

export interface ResolvedExperiment {
  name: string;
  /** Absolute path of the experiment file that was loaded. */
  file: string;
  seed: number;
  /** Nodes in a topological order (every node after all of its inputs). */
  nodes: ResolvedNode[];
  /** Absolute paths of plugin modules that were loaded (their node types are registered). */
  plugins: string[];
  /** Cosmetic: the experiment's `description`. */
  description?: string;
  /**
   * The HTML report `cardigan run` writes after running, as written (relative to the working
   * directory); absent when the experiment asks for none. Never part of a key.
   */
  report?: string;
  /** Absolute paths of the files merged through `extends`, the loaded file first. */
  files?: string[];
  /** What the experiment claims (`claims:`), for `cardigan check`; never part of a key. */
  claims?: ResolvedClaim[];
  /** `leakage:` with its defaults, for the run-time check (engine/run/lineage-check.ts); absent in hand-built experiments. */
  leakage?: { validation: ValidationPolicy };
  /** Problems that do not refuse the experiment (validation patients in a model's training data), located like errors. */
  warnings?: Diagnostic[];
}

export type ClaimRelation = '<' | '>' | '≈';

/** One side of a claim: the row as written and the nodes it selects (its seeds, in experiment order). */
export interface ClaimRow {
  written: string;
  ids: string[];
}

/** A claim `a <relation> b` on one metric, with its rows resolved to node ids. */
export interface ResolvedClaim {
  id: string;
  says?: string;
  a: ClaimRow;
  relation: ClaimRelation;
  b: ClaimRow;
  metric: string;
  /** For `≈` only: the largest |a − b| that counts as equal. */
  margin?: number;
  alpha: number;
  minSeeds: number;
  /** Where it comes from, e.g. `Table 1`. */
  from: string;
  location: SourceLocation;
}
