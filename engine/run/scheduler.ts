// Room run/: planning and running an experiment — the planner, key resolution, the scheduler and its
// executors, the node context, events, run records, gc, and what a report reads from the cache.
// Imports experiment/, keys/, cache/, compute/ and the engine's top files; never cli/.

import type { BackendChoice, BackendInfo } from '../compute/backend';
import type { Cache } from '../cache/cache';
import { updateIndex } from '../cache/last-keys';
import { markActive } from '../cache/active-runs';
import type { EntryRecord } from '../cache/entry-record';
import { UserError } from '../errors';
import type { NodeStatus, RunEvent } from './events';
import { type Executor, type NodeSlots, type SlotTicket, describeFailure } from './executor';
import { criticalPriorities } from './critical-path';
import { InProcessExecutor } from './executors/in-process';
import { type ExperimentGraph, buildGraph, producers } from '../experiment/graph';
import type { JobInput } from '../keys/job';
import type { NodeKey } from '../keys/key';
import { type DamagedEntry, type NodeOutcome, summarize, toRunNodeRecord } from './outcome';
import { LineageGate } from './lineage-gate';
import { type PlanState, planExperiment } from './planner';
import type { NodeRegistry } from '../registry';
import { NodeEndings } from './node-endings';
import { KeyResolver } from './resolve-key';
import type { ResolvedExperiment, ResolvedNode } from '../experiment/resolved';
import { type RunRecord, createRunDir, writeRunRecord } from './run-record';
import { type Selection, type SelectionSpec, resolveSelection } from './selection';
import { defaultJobs } from './slots';
import { versions } from '../cache/versions';

export interface RunOptions {
  cache: Cache;
  registry: NodeRegistry;
  /** Parallel nodes (`--jobs`); default one per core. How gpu nodes share them is the executor's (see Executor.slots). */
  jobs?: number;
  backend?: BackendChoice;
  selection?: SelectionSpec;
  /** Abort (Ctrl-C) stops running nodes, starts no new ones, and ends the run as interrupted. */
  signal?: AbortSignal;
  report?: (event: RunEvent) => void;
  /** Where nodes compute; in this process by default. */
  executor?: Executor;
  /** The in-process executor's backend initialiser (engine/compute/backend.ts by default), called at most once and only if a node runs. */
  initBackend?: (choice: BackendChoice) => Promise<BackendInfo>;
  /** The command line, for the run record. */
  command?: string[];
  /** How often to look whether another process released a key's lock. */
  lockPollMs?: number;
}

export interface RunResult {
  runId: string;
  recordFile: string;
  outcome: 'ok' | 'failed' | 'interrupted';
  /** 0 ok, 1 when a node failed, 130 when interrupted. */
  exitCode: number;
  nodes: Map<string, NodeOutcome>;
  record: RunRecord;
}

/** Runs an experiment against a cache: reuses what is cached, computes the rest, writes a run record. */
export function runExperiment(experiment: ResolvedExperiment, options: RunOptions): Promise<RunResult> {
  return new Scheduler(experiment, options).run();
}

/**
 * The orchestrator loop, in numbered steps (after Nx's task orchestrator): 1 select, 2 hash and
 * resolve cache hits in bulk, 3 open the run, 4 dispatch every other node as soon as its producers
 * have settled, 5 wait and record. Per-node work (locking, executing) is in NodeRunner below.
 */
class Scheduler {
  private readonly cache: Cache;
  private readonly report: (event: RunEvent) => void;
  private readonly signal: AbortSignal;
  private readonly graph: ExperimentGraph;
  private readonly outcomes = new Map<string, Promise<NodeOutcome>>();
  private readonly damaged = new Map<string, DamagedEntry>();
  private readonly endings: NodeEndings;
  /** Keys of the nodes settled with an entry so far, for the lineage gate's walk upstream. */
  private readonly entryKeys = new Map<string, string>();
  private readonly gate: LineageGate;

  constructor(
    private readonly experiment: ResolvedExperiment,
    private readonly options: RunOptions,
  ) {
    this.cache = options.cache;
    this.report = options.report ?? (() => undefined);
    this.signal = options.signal ?? new AbortController().signal;
    this.graph = buildGraph(experiment.nodes);
    this.endings = new NodeEndings(this.cache, this.report);
    this.gate = new LineageGate({
      nodes: experiment.nodes,
      typeOf: (node) => options.registry.get(node.type),
      keyOf: (id) => this.entryKeys.get(id),
      outputDir: (key, port) => this.cache.layout.outputDir(key, port),
      // A hand-built experiment (tests, callers of the API) says nothing: the experiment schema's default.
      validation: experiment.leakage?.validation ?? 'warn',
    });
  }

  async run(): Promise<RunResult> {
    const startedAt = new Date();
    // 1. Select: which nodes may run, which are forced, which must come from the cache.
    const selection = resolveSelection(this.experiment, this.graph, this.options.selection ?? {});

    // 2. Hash and resolve cache hits in bulk. Nodes after a stale one stay "blocked" until step 4.
    const resolver = await KeyResolver.create(this.experiment, this.options.registry, this.cache.layout.fingerprintsDir);
    const plan = await planExperiment(this.experiment, this.options.registry, this.cache, { forced: selection.forced, resolver });
    this.requireNeeded(selection, plan);

    // 3. Open the run: its record folder, a marker that protects what it touches from gc, and
    //    cleanup of temp entries left by dead processes.
    const { id: runId, dir: runDir } = await createRunDir(this.cache.layout, this.experiment, startedAt);
    const unmark = await markActive(this.cache.layout, runId, startedAt);
    try {
      const orphans = await this.cache.removeOrphanTemps();
      const jobs = this.options.jobs ?? defaultJobs();
      const executor = this.options.executor ?? new InProcessExecutor(this.cache, this.options.registry, this.options.initBackend);
      this.report({
        type: 'run-start',
        runId,
        experiment: this.experiment.name,
        file: this.experiment.file,
        nodes: this.experiment.nodes.length,
        selected: selection.selected.size,
        cache: this.cache.root,
        jobs,
        executor: executor.name,
      });
      if (orphans.length > 0) this.report({ type: 'orphans-removed', folders: orphans });
      const backend = new ReportedBackend((info) => this.report({ type: 'backend', backend: info }));
      const runner = new NodeRunner({
        resolver,
        executor,
        slots: executor.slots(jobs),
        priorities: criticalPriorities(this.graph, (id) => resolver.nodeType(this.graph.getNodeAttribute(id, 'node')).resource),
        backend,
        backendChoice: this.options.backend ?? 'auto',
        plugins: this.experiment.plugins,
        runId,
        signal: this.signal,
        report: this.report,
        endings: this.endings,
        lockPollMs: this.options.lockPollMs ?? 200,
      });

      // 4. Dispatch: each node waits for its producers, then is a hit, blocked, or computed.
      for (const node of this.experiment.nodes) {
        const settling = this.settle(node, selection, plan.get(node.id) as PlanState, runner, resolver);
        this.outcomes.set(
          node.id,
          settling.then((outcome) => this.remember(node, outcome)),
        );
      }

      // 5. Wait for everything, then write the index and the run record.
      const settled = new Map<string, NodeOutcome>();
      for (const [id, outcome] of this.outcomes) settled.set(id, await outcome);
      return await this.finish(runId, runDir, startedAt, jobs, executor.name, settled, backend.current(), resolver);
    } finally {
      await unmark();
    }
  }

  /** `--only`/`--from`/`--until` may only skip producers whose outputs are already cached. */
  private requireNeeded(selection: Selection, plan: Map<string, PlanState>): void {
    const missing = [...selection.needed].filter((id) => plan.get(id)?.state !== 'cached');
    if (missing.length === 0) return;
    const order = new Map(this.experiment.nodes.map((node, i) => [node.id, i]));
    missing.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    throw new UserError(
      `the selected nodes read from ${missing.map((id) => `"${id}"`).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not cached.\n` +
        `Run them first (e.g. cardigan run ${this.experiment.file} --until ${missing[missing.length - 1]}), or widen the selection.`,
    );
  }

  /** A node's outcome; an engine error (disk full, permissions) fails this node and lets the run go on and be recorded. */
  private async settle(node: ResolvedNode, selection: Selection, planned: PlanState, runner: NodeRunner, resolver: KeyResolver): Promise<NodeOutcome> {
    try {
      return await this.settleNode(node, selection, planned, runner, resolver);
    } catch (error) {
      return this.endings.failed(node, undefined, `engine error: ${(error as Error).message}`, undefined, 0);
    }
  }

  private async settleNode(node: ResolvedNode, selection: Selection, planned: PlanState, runner: NodeRunner, resolver: KeyResolver): Promise<NodeOutcome> {
    if (!selection.selected.has(node.id)) {
      if (selection.needed.has(node.id) && planned.state === 'cached') return this.endings.cached(node, planned.key, planned.record);
      return { status: 'skipped' };
    }
    if (planned.state === 'cached') return this.endings.cached(node, planned.key, planned.record);

    const from = producers(this.graph, node.id);
    const upstream = await Promise.all(from.map((id) => this.outcomes.get(id) as Promise<NodeOutcome>));
    if (this.signal.aborted || upstream.some((outcome) => outcome.status === 'interrupted')) return this.endings.interrupted(node, undefined);
    const failed = new Set<string>();
    upstream.forEach((outcome, i) => {
      if (outcome.status === 'failed') failed.add(from[i]);
      if (outcome.status === 'blocked') outcome.by.forEach((id) => failed.add(id));
    });
    if (failed.size > 0) {
      const by = [...failed];
      this.report({ type: 'node-blocked', node: node.id, by });
      return { status: 'blocked', by };
    }

    // From here the node will want a slot unless the cache has it: keep its place (see slots.ts).
    const ticket = runner.announce(node);
    try {
      let key: NodeKey;
      let inputs: Record<string, JobInput[]>;
      if (planned.state === 'stale') {
        ({ key, inputs } = planned);
        if (planned.why.why === 'invalid') await this.setAside(node, key, planned.why.problems);
      } else {
        const records = new Map<string, EntryRecord>();
        upstream.forEach((outcome, i) => {
          if (outcome.status === 'cached' || outcome.status === 'done') records.set(from[i], outcome.record);
        });
        const resolution = resolver.resolve(node, (id) => records.get(id));
        if (!resolution.ok) throw new Error(`internal: ${node.id} still waits for ${resolution.waitingFor.join(', ')}`);
        ({ key, inputs } = resolution);
        if (!selection.forced.has(node.id)) {
          // Early cutoff happens here: producers that reran with identical outputs give the old key.
          const found = await this.cache.lookup(key.hash);
          if (found.state === 'hit') return this.endings.cached(node, key, found.record);
          if (found.state === 'invalid') await this.setAside(node, key, found.problems);
        }
      }
      // What the graph could not show: the patients the inputs actually record (engine/run/lineage-check.ts).
      const leakage = await this.gate.check(node, inputs);
      for (const message of leakage.warnings) this.report({ type: 'node-warning', node: node.id, message });
      if (leakage.errors.length > 0) return this.endings.failed(node, key, leakage.errors.join('\n'), undefined, 0);
      return await runner.compute(node, key, inputs, selection.forced.has(node.id), ticket);
    } finally {
      ticket.withdraw();
    }
  }

  private remember(node: ResolvedNode, outcome: NodeOutcome): NodeOutcome {
    if (outcome.status === 'cached' || outcome.status === 'done') this.entryKeys.set(node.id, outcome.key.hash);
    return outcome;
  }

  /** A damaged entry is reported, recorded, and moved out of the way; the node is then a miss. */
  private async setAside(node: ResolvedNode, key: NodeKey, problems: string[]): Promise<void> {
    const movedTo = (await this.cache.quarantine(key.hash, problems)) ?? null;
    this.damaged.set(node.id, { problems, movedTo });
    this.report({ type: 'entry-invalid', node: node.id, key: key.hash, problems, movedTo });
  }

  private async finish(
    runId: string,
    runDir: string,
    startedAt: Date,
    jobs: number,
    executor: Executor['name'],
    settled: Map<string, NodeOutcome>,
    backend: BackendInfo | undefined,
    resolver: KeyResolver,
  ): Promise<RunResult> {
    const counts: Record<NodeStatus, number> = { cached: 0, done: 0, failed: 0, blocked: 0, interrupted: 0, skipped: 0 };
    for (const outcome of settled.values()) counts[outcome.status]++;
    const outcome = this.signal.aborted || counts.interrupted > 0 ? 'interrupted' : counts.failed + counts.blocked > 0 ? 'failed' : 'ok';
    const exitCode = outcome === 'interrupted' ? 130 : outcome === 'failed' ? 1 : 0;

    const keys: Record<string, { key: string; parts: NodeKey['parts'] }> = {};
    for (const [id, result] of settled) {
      if (result.status === 'cached' || result.status === 'done') keys[id] = { key: result.key.hash, parts: result.key.parts };
    }
    await updateIndex(this.cache.layout, this.experiment.file, keys);

    const finishedAt = new Date();
    const record: RunRecord = {
      format: 1,
      id: runId,
      experiment: { name: this.experiment.name, file: this.experiment.file, seed: this.experiment.seed },
      command: this.options.command ?? [],
      cache: this.cache.root,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      outcome,
      interrupted: outcome === 'interrupted',
      exitCode,
      options: { jobs, executor, backend: this.options.backend ?? 'auto', selection: this.options.selection ?? {} },
      backend: backend ?? null,
      versions: versions(),
      counts,
      nodes: this.experiment.nodes.map((node) =>
        toRunNodeRecord(node, resolver.staticParts(node).version, settled.get(node.id) as NodeOutcome, this.damaged.get(node.id)),
      ),
    };
    const recordFile = await writeRunRecord(runDir, record);
    this.report({
      type: 'run-end',
      runId,
      outcome,
      exitCode,
      seconds: record.seconds,
      record: recordFile,
      nodes: this.experiment.nodes.map((node) => summarize(node.id, settled.get(node.id) as NodeOutcome)),
    });
    return { runId, recordFile, outcome, exitCode, nodes: settled, record };
  }
}

/** The backend the first node that ran reported: one `backend` event per run, and the run record's. */
class ReportedBackend {
  private info: BackendInfo | undefined;

  constructor(private readonly onFirst: (info: BackendInfo) => void) {}

  seen(info: BackendInfo): void {
    if (this.info !== undefined) return;
    this.info = info;
    this.onFirst(info);
  }

  current(): BackendInfo | undefined {
    return this.info;
  }
}

interface RunnerParts {
  resolver: KeyResolver;
  executor: Executor;
  slots: NodeSlots;
  /** criticalPriorities of the graph: who gets a free slot first. */
  priorities: Map<string, number>;
  backend: ReportedBackend;
  backendChoice: BackendChoice;
  plugins: readonly string[];
  runId: string;
  signal: AbortSignal;
  report: (event: RunEvent) => void;
  lockPollMs: number;
  endings: NodeEndings;
}

/**
 * Computes one node whose key is known and not cached: takes a slot of its resource class, then
 * hands the job to the executor, which takes the key's lock (or waits for another process to finish
 * the key and reuses its entry) and runs it; what the worker reports becomes run events.
 */
class NodeRunner {
  constructor(private readonly parts: RunnerParts) {}

  announce(node: ResolvedNode): SlotTicket {
    return this.parts.slots.announce(this.parts.resolver.nodeType(node).resource, this.parts.priorities.get(node.id) ?? 0);
  }

  compute(node: ResolvedNode, key: NodeKey, inputs: Record<string, JobInput[]>, forced: boolean, ticket: SlotTicket): Promise<NodeOutcome> {
    return this.parts.slots.run(ticket, () => this.execute(node, key, inputs, forced));
  }

  private async execute(node: ResolvedNode, key: NodeKey, inputs: Record<string, JobInput[]>, forced: boolean): Promise<NodeOutcome> {
    const { report, signal, endings } = this.parts;
    if (signal.aborted) return endings.interrupted(node, key);
    const startedAt = new Date();
    const job = this.parts.resolver.job(node, key, inputs);
    const result = await this.parts.executor.execute(job, {
      runId: this.parts.runId,
      backendChoice: this.parts.backendChoice,
      signal,
      replace: forced,
      lockPollMs: this.parts.lockPollMs,
      plugins: this.parts.plugins,
      waiting: (holder) => report({ type: 'node-waiting', node: node.id, key: key.hash, holder }),
      lockBroken: (holder) => report({ type: 'lock-broken', node: node.id, key: key.hash, holder }),
      backend: (info) => this.parts.backend.seen(info),
      started: (checkpoint) => report({ type: 'node-start', node: node.id, key: key.hash, checkpoint }),
      progress: (update) => report({ type: 'node-progress', node: node.id, ...update }),
      log: (message) => report({ type: 'node-log', node: node.id, message }),
      queued: (state, reason) => report({ type: 'node-queued', node: node.id, key: key.hash, state, reason }),
    });
    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    if (result.ok) {
      if (result.status === 'cached') return endings.cached(node, key, result.record);
      const outputs = Object.fromEntries(Object.entries(result.record.outputs).map(([port, output]) => [port, output.hash]));
      report({ type: 'node-done', node: node.id, key: key.hash, seconds, outputs });
      return { status: 'done', key, record: result.record, startedAt, seconds, resumed: result.resumed };
    }
    if (result.failure.reason === 'interrupted') return endings.interrupted(node, key);
    return endings.failed(node, key, describeFailure(result.failure), startedAt, seconds);
  }
}
