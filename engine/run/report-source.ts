import * as path from 'path';
import { Cache } from '../cache/cache';
import type { Provenance } from '../cache/entry-record';
import type { NodeStatus } from './events';
import type { PortType } from '../node-api';
import { planExperiment } from './planner';
import type { NodeRegistry } from '../registry';
import type { ResolvedExperiment, ResolvedNode } from '../experiment/resolved';
import { listRuns, type RunRecord } from './run-record';

/**
 * What a report may read from the cache for one experiment, and nothing else: the engine side of
 * `cardigan report`. A node's results are the entry under the key the experiment gives it *now*
 * (the same check `cardigan plan` makes), so a report never shows numbers from an older version of
 * the experiment as if they were current. The latest finished run of this experiment file adds what
 * the cache cannot hold: failures and their messages.
 */

export interface ReportSource {
  experiment: ResolvedExperiment;
  cacheRoot: string;
  /**
   * The most recent finished `cardigan run` of this experiment file that computed or failed something
   * (a rerun that took every node from the cache changes nothing a report shows); when every run took
   * everything from the cache (a cache filled by another checkout), the first of them; null when there is none.
   */
  lastRun: RunRecord | null;
  /** In the experiment's (topological) order. */
  nodes: NodeSource[];
}

export interface NodeSource {
  node: ResolvedNode;
  /** `cached`: results are in the cache; `stale`: computable now, not computed; `blocked`: waits for a stale node. */
  state: 'cached' | 'stale' | 'blocked';
  /** Present when `state` is `cached`. */
  entry?: NodeEntry;
  /** This node in the last run of the experiment, when that run included it. */
  lastRun?: { status: NodeStatus; error: string | null; blockedBy: string[] | null; runId: string };
}

export interface NodeEntry {
  /** Full sha256 hex. */
  key: string;
  /** The node type's version the entry was computed with. */
  version: number;
  /** Output port → its artifact (a read-only folder in the cache). */
  outputs: Record<string, { dir: string; type: PortType; hash: string }>;
  /** Who computed it, where, when, on which backend, with which software. */
  provenance: Provenance;
}

/** Reads everything `cardigan report` needs for a loaded experiment; changes nothing in the cache. */
export async function readReportSource(experiment: ResolvedExperiment, registry: NodeRegistry, cacheRoot: string): Promise<ReportSource> {
  const cache = new Cache(cacheRoot);
  const plan = await planExperiment(experiment, registry, cache);
  const lastRun = await latestRun(cache, experiment.file);
  const nodes = experiment.nodes.map((node): NodeSource => {
    const planned = plan.get(node.id);
    const source: NodeSource = { node, state: planned?.state ?? 'blocked' };
    if (planned?.state === 'cached') {
      const { record } = planned;
      const outputs: NodeEntry['outputs'] = {};
      for (const [port, output] of Object.entries(record.outputs))
        outputs[port] = { dir: cache.layout.outputDir(record.key, port), type: output.type, hash: output.hash };
      source.entry = { key: record.key, version: record.job.version, outputs, provenance: record.provenance };
    }
    const ran = lastRun?.nodes.find((n) => n.id === node.id);
    if (lastRun !== null && ran !== undefined && ran.status !== 'skipped') {
      source.lastRun = { status: ran.status, error: ran.error, blockedBy: ran.blockedBy, runId: lastRun.id };
    }
    return source;
  });
  return { experiment, cacheRoot: cache.root, lastRun, nodes };
}

async function latestRun(cache: Cache, experimentFile: string): Promise<RunRecord | null> {
  const file = path.resolve(experimentFile);
  const runs = (await listRuns(cache.layout)).filter((run) => path.resolve(run.experiment.file) === file);
  const working = runs.filter((run) => !tookEverythingFromCache(run));
  // The first of several cached reruns, not the latest: the page stays the same from one to the next.
  if (working.length === 0) return runs[0] ?? null;
  return working[working.length - 1];
}

/** A finished run in which every node it selected came from the cache: it made nothing new. */
function tookEverythingFromCache(run: RunRecord): boolean {
  return run.outcome === 'ok' && run.nodes.every((node) => node.status === 'cached' || node.status === 'skipped');
}
