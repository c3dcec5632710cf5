/**
 * The contract between the engine and every node type, built-in or plugin.
 *
 * A node is a pure function of (params, seed, input artifacts) that writes its output artifacts into
 * folders the engine hands it. The engine hashes those folders afterwards, so a node never computes
 * keys or touches the cache layout itself: that is what lets `cardigan run-node` (the process pool's
 * and Slurm's worker) run one node from its job in the cache alone.
 *
 * Registration must stay cheap. `cardigan --help`, `validate` and `plan` register every node type,
 * and must not pay for tfjs (seconds), vega or umap-js, which only running a node needs. So a node
 * type lives in two modules (built-in and plugin alike; the API is the same):
 *
 *   nodes/types/train-unet/node.ts   the definition, `export const node = defineNode<Params>({...})`:
 *                                    type, version, description, params schema (JSON import), ports,
 *                                    resource, externalPaths, and `run: lazyRun(() => require('./run'))`.
 *                                    It imports only the engine, its schema, and types (`import type`);
 *                                    nothing from npm, nothing that imports tfjs, never its run.ts.
 *   nodes/types/train-unet/run.ts    the implementation, `export async function run(ctx, inputs,
 *                                    params: Params)`, and whatever heavy code it needs.
 *
 * The params interface lives in the definition (the implementation imports it as a type).
 * test/engine/startup.test.ts fails when registering the built-in nodes loads any npm package.
 */

/**
 * The reserved subfolder of every output port for files that may differ between two runs of the same
 * job (timings, throughput): stored and verified, but not part of the port's content hash, so a
 * rerun that reproduces the same results keeps its consumers' keys (early cutoff).
 */
export const VOLATILE_FOLDER = 'volatile';

/** What flows along an edge. Port types are checked before anything runs. */
export type PortType =
  | 'dataset' // manifest.json + images.npy + masks.npy (see nodes/data/dataset-artifact.ts)
  | 'model' // model.json + weights + log.jsonl (+ volatile/timings.jsonl)
  | 'metrics' // JSON/CSV metrics, tables
  | 'report' // reports, figures, HTML
  | 'embedding' // UMAP coordinates and gap metrics
  | 'file'; // anything else (test-only nodes, plugins)

/**
 * What an input's subjects (patients) are to the node, for the leakage check that runs before anything
 * does (engine/experiment/leakage.ts): `train`, the node learns from them; `select`, they choose among
 * its training outcomes (the epoch kept); `evaluate`, the node scores its other inputs on them.
 */
export type SubjectRole = 'train' | 'select' | 'evaluate';

/** Which part of a cohort a source's output holds. Parts are disjoint by construction (a split). */
export type SubjectSplit = 'train' | 'validation' | 'test';

/**
 * Some subjects behind an artifact, all from one source and one part of its split: `source` names the
 * cohort the ids belong to (the same patient has the same source and id wherever they are loaded, e.g.
 * `camus` or `synthetic:1`); `split` is the part the loader put them in (`none`: it assigned no split).
 */
export interface SubjectGroup {
  source: string;
  split: SubjectSplit | 'none';
  ids: string[];
}

/**
 * The subjects behind an artifact, as it records them once written (its lineage), kept apart by what
 * they were to it: `held`, its items are, or were made from, them (a dataset's patients, a generated
 * dataset's masks and styles); `trained`, a model upstream learnt from them; `selected`, they chose a
 * model upstream's epoch. Transitive: a model trained on generated images has the generator's training
 * patients among its own. The run-time leakage check (engine/run/lineage-check.ts) compares these sets
 * before a node that trains or evaluates runs, which catches what the graph alone cannot show.
 */
export interface SubjectLineage {
  held: SubjectGroup[];
  trained: SubjectGroup[];
  selected: SubjectGroup[];
}

/** An output as `readLineage` is asked about it: which port, and the folder of its files. */
export interface OutputArtifact {
  port: string;
  dir: string;
}

export interface PortSpec {
  type: PortType;
  description: string;
  /** Accepts a list of references (fan-in). The node then receives an array of artifacts. */
  multiple?: boolean;
  /** The node runs without it. */
  optional?: boolean;
  /** Input ports: what the subjects of this input are to the node (see SubjectRole); none: they only pass through. */
  role?: SubjectRole;
  /**
   * Output ports: the input ports whose subjects this output carries (its lineage), e.g. a generator's
   * images carry its masks' patients and its training set's. Default: every input, the safe guess.
   */
  carries?: readonly string[];
  /** Output ports of a node that brings subjects in (a dataset loader): which parts of its split this output holds. */
  split?: readonly SubjectSplit[];
}

/** Where a node runs: cpu nodes share `--jobs` slots, gpu nodes get one slot per GPU. */
export type ResourceClass = 'cpu' | 'gpu';

/** An upstream output as a node sees it: a read-only folder and its content hash. */
export interface InputArtifact {
  /** Folder holding the artifact's files. Never write into it. */
  dir: string;
  /** Content hash of the folder (sha256 over sorted relative paths and file hashes). */
  hash: string;
  type: PortType;
  /** The reference that produced it, e.g. `camus.train` or `unet[train=camusx].model`. */
  from: string;
  /** The producing node's id, e.g. `unet[train=camusx]`: fan-in consumers use it as a label. */
  nodeId: string;
}

export type NodeInputs = Record<string, InputArtifact | InputArtifact[] | undefined>;

export interface ProgressUpdate {
  /** Units done so far (epochs, steps, patients...). */
  done: number;
  total: number;
  /** Short unit label shown next to the bar, e.g. `epoch`. */
  unit?: string;
  /** Free text shown after the bar, e.g. current losses. */
  message?: string;
}

/** Checkpoints survive a crash or Ctrl-C and are deleted once the node's entry is committed. */
export interface CheckpointStore {
  /** Folder of the latest complete checkpoint, or undefined when there is none. */
  latest(): Promise<string | undefined>;
  /** Writes a checkpoint atomically: `write` fills a fresh folder, which then replaces the latest. */
  save(write: (dir: string) => Promise<void>): Promise<void>;
}

export interface NodeContext {
  /** Node id as written in the experiment, with matrix suffix, e.g. `unet[train=camusx]`. */
  readonly nodeId: string;
  /** Seed derived from the experiment seed and the node id; use it for every random choice. */
  readonly seed: number;
  /** The cache key of this node's entry (hex sha256). */
  readonly key: string;
  /** The tfjs backend in use (`tensorflow` for tfjs-node(-gpu), `wasm`, `cpu`). */
  readonly backend: string;
  /**
   * Folder to write the given output port's files into. Created on first call. Files under its
   * `volatile/` subfolder (VOLATILE_FOLDER: wall-clock timings, throughput, host names) are kept and
   * verified like the others but left out of the port's content hash, so they never make consumers
   * rerun. Everything else must be a function of params, inputs and seed.
   */
  outputDir(port: string): string;
  /** Scratch folder deleted after the node finishes (success or not). */
  readonly scratchDir: string;
  /**
   * Where a path param points: a relative path is taken from the experiment file's folder (not the
   * working directory), exactly as `externalPaths` are resolved for the key. Use it for every path a
   * user writes in params.
   */
  resolvePath(written: string): string;
  readonly checkpoints: CheckpointStore;
  progress(update: ProgressUpdate): void;
  log(message: string): void;
  /** Aborted on Ctrl-C; long loops check it between steps. */
  readonly signal: AbortSignal;
}

/** JSON Schema object for a node's params (draft-07, as ajv takes it). */
export type JsonSchema = Record<string, unknown>;

export interface NodeType<P = Record<string, unknown>> {
  /** Kebab-case name used in experiment files, e.g. `train-unet`. */
  readonly type: string;
  /** Bump whenever the outputs for the same params and inputs change: it is part of the key. */
  readonly version: number;
  readonly description: string;
  /** Params schema, normally imported from `schemas/nodes/<type>.schema.json`. Defaults are applied. */
  readonly paramsSchema: JsonSchema;
  readonly inputs: Record<string, PortSpec>;
  readonly outputs: Record<string, PortSpec>;
  readonly resource: ResourceClass;
  /**
   * Param names that do not affect outputs (labels, descriptions, verbosity) and are left out of the key.
   */
  readonly cosmeticParams?: readonly string[];
  /**
   * Files or folders outside the cache that the node reads (a CAMUS release on disk, a folder of
   * masks), as written in params: return the param itself, e.g. `(p) => [p.folder]`. Their content
   * fingerprint (engine/keys/external-fingerprint.ts) joins the key under that written path, so editing
   * the data reruns the node while moving the experiment with its data does not. Relative paths are
   * resolved against the experiment file's folder; `run` reads them through `ctx.resolvePath`. A path
   * `$NAME` (or `$NAME/sub`) is the folder an environment variable names: the key holds `$NAME`.
   */
  readonly externalPaths?: (params: P) => string[];
  /**
   * Lines `cardigan plan --explain` prints under every node of this type, for what the params alone do
   * not show: e.g. which data a node reads when its params defer to an environment variable.
   */
  readonly explain?: (params: P) => string[];
  /**
   * Reads back the lineage an output of this type recorded (see SubjectLineage), or undefined when it
   * records none. The engine calls it on the inputs of a node whose inputs have a `role`, before that
   * node runs. Without it, this type's outputs bring no subjects to that check.
   */
  readonly readLineage?: (artifact: OutputArtifact) => Promise<SubjectLineage | undefined>;
  /** Computes the outputs. In a built-in node, a one-line `require` of its implementation module (see the top of this file). */
  run(ctx: NodeContext, inputs: NodeInputs, params: P): Promise<void>;
}

/** What a node type's implementation module exports. */
export interface NodeImplementation<P> {
  run: NodeType<P>['run'];
}

/**
 * A definition's `run` that requires the implementation on first call: `run: lazyRun(() =>
 * require('./run'))`. The implementation types its `run` against the definition's params (it imports
 * them as a type), so the definition never names the implementation's types.
 */
export function lazyRun<P>(load: () => NodeImplementation<P>): NodeType<P>['run'] {
  return (ctx, inputs, params) => load().run(ctx, inputs, params);
}

/** Helps plugin and built-in authors get typed params without casts at the call site. */
export function defineNode<P>(node: NodeType<P>): NodeType<P> {
  return node;
}

/** Narrows an input port to a single artifact, with an error naming the port when it is missing. */
export function single(inputs: NodeInputs, port: string): InputArtifact {
  const value = inputs[port];
  if (value === undefined) throw new Error(`input port "${port}" is not connected`);
  if (Array.isArray(value)) {
    if (value.length !== 1) throw new Error(`input port "${port}" expects one artifact, got ${value.length}`);
    return value[0];
  }
  return value;
}

/** Narrows an input port to a list of artifacts (fan-in); a single reference becomes a list of one. */
export function many(inputs: NodeInputs, port: string): InputArtifact[] {
  const value = inputs[port];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function optional(inputs: NodeInputs, port: string): InputArtifact | undefined {
  return inputs[port] === undefined ? undefined : single(inputs, port);
}
