import * as path from 'path';
import type { Provenance } from '../../engine/cache/entry-record';
import type { NodeSource } from '../../engine/run/report-source';
import type { ResolvedNode } from '../../engine/experiment/resolved';
import type { RunRecord } from '../../engine/run/run-record';

/** The report fixtures (test/fixtures/report/), one artifact folder per node kind. */
export const FIXTURES = path.resolve(__dirname, '../fixtures/report');

export const PROVENANCE: Provenance = {
  runId: '2025-06-01T12-00-00-000Z-paper',
  backend: 'wasm',
  host: 'lab-1',
  pid: 42,
  startedAt: '2025-06-01T12:00:00.000Z',
  finishedAt: '2025-06-01T12:03:30.000Z',
  seconds: 210,
  resumedFromCheckpoint: false,
  versions: { cardigan: '0.1.0', tfjs: '4.22.0', node: 'v20.11.1' },
};

/** A node with results in the cache whose output ports are the given folders. */
export function cachedSource(node: Partial<ResolvedNode> & { id: string; type: string }, outputs: Record<string, string>, key = 'ab'.repeat(32)): NodeSource {
  return {
    node: { params: {}, inputs: {}, seed: 1, ...node },
    state: 'cached',
    entry: {
      key,
      version: 3,
      outputs: Object.fromEntries(Object.entries(outputs).map(([port, dir]) => [port, { dir, type: 'report' as const, hash: 'cd'.repeat(32) }])),
      provenance: PROVENANCE,
    },
  };
}

/** A node without results; `lastRun` as the last run recorded it. */
export function missingSource(
  node: Partial<ResolvedNode> & { id: string; type: string },
  lastRun?: NodeSource['lastRun'],
  state: NodeSource['state'] = 'stale',
): NodeSource {
  return { node: { params: {}, inputs: {}, seed: 1, ...node }, state, ...(lastRun === undefined ? {} : { lastRun }) };
}

/** A finished run record of `nodes`, as `cardigan run` writes it (only what the report reads is varied). */
export function runRecord(file: string, outcome: RunRecord['outcome'] = 'failed'): RunRecord {
  return {
    format: 1,
    id: '2025-06-01T12-00-00-000Z-paper',
    experiment: { name: 'paper', file, seed: 1 },
    command: ['run', file],
    cache: '/cache',
    startedAt: '2025-06-01T12:00:00.000Z',
    finishedAt: '2025-06-01T12:10:00.000Z',
    seconds: 600,
    outcome,
    interrupted: false,
    exitCode: outcome === 'ok' ? 0 : 1,
    options: { jobs: 2, backend: 'auto', selection: { only: [], from: [], until: [], force: [] } },
    backend: { name: 'wasm', kind: 'wasm', detail: 'WebAssembly, 1 thread', requested: 'auto', skipped: [] },
    versions: PROVENANCE.versions,
    counts: { cached: 0, done: 0, failed: 0, blocked: 0, interrupted: 0, skipped: 0 },
    nodes: [],
  };
}
