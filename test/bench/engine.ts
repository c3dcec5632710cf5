/**
 * Engine benchmark (not a test): the speed targets of the engine issue.
 *   - plan of a 1000-node experiment: under 1 s (empty cache, and fully cached)
 *   - a fully cached rerun of 100 nodes: under 1 s
 *
 * Run from the repository root, straight from the sources:
 *   node -r ./test/rig/ts-register.js test/bench/engine.ts [--repeat 5]
 * It builds the caches it needs in a temp folder (computing 1000 tiny nodes once takes a while),
 * times each case `--repeat` times in this process and prints the median, min and max.
 * `benchEngine()` returns the same figures for a harness that runs several benchmarks.
 *
 * Measured from a ResolvedExperiment: the experiment loader's own time (YAML, schemas, matrix) is
 * not included here.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Cache } from '../../engine/cache';
import { planExperiment } from '../../engine/planner';
import type { ResolvedExperiment } from '../../engine/resolved';
import { runExperiment } from '../../engine/scheduler';
import { runtimeRegistry } from '../rig/runtime-nodes';
import { type NodeSketch, resolvedExperiment } from '../rig/resolved-experiment';

export interface BenchFigure {
  name: string;
  targetSeconds: number;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
}

/**
 * A matrix-like graph: `roots` sources, then digest nodes that each read two earlier nodes, so that
 * the graph is deep (about n/roots levels) as well as wide. Every output is a 64-byte file.
 */
export function benchGraph(file: string, n: number, roots: number): ResolvedExperiment {
  const nodes: NodeSketch[] = [];
  const id = (i: number): string => (i < roots ? `src[k=${i}]` : `join[i=${i}]`);
  for (let i = 0; i < n; i++) {
    if (i < roots) nodes.push({ id: id(i), group: 'src', type: 't-emit', params: { value: i } });
    else nodes.push({ id: id(i), group: 'join', type: 't-digest', params: { tag: `${i}` }, inputs: { in: [`${id(i - roots)}.out`, `${id(i - roots + 1)}.out`] } });
  }
  return resolvedExperiment(file, nodes, `bench-${n}`);
}

async function time(repeat: number, task: () => Promise<void>): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await task();
    seconds.push((performance.now() - start) / 1000);
  }
  return seconds.sort((a, b) => a - b);
}

function figure(name: string, targetSeconds: number, seconds: number[]): BenchFigure {
  return { name, targetSeconds, medianSeconds: seconds[Math.floor(seconds.length / 2)], minSeconds: seconds[0], maxSeconds: seconds[seconds.length - 1] };
}

export async function benchEngine(options: { repeat?: number; log?: (line: string) => void } = {}): Promise<BenchFigure[]> {
  const repeat = options.repeat ?? 5;
  const log = options.log ?? (() => undefined);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-bench-'));
  const registry = runtimeRegistry();
  const quiet = { registry, backend: 'cpu' as const, jobs: Math.max(2, os.availableParallelism()) };
  try {
    const figures: BenchFigure[] = [];
    const big = benchGraph(path.join(dir, 'big.yaml'), 1000, 40);
    const bigCache = new Cache(path.join(dir, 'cache-big'));
    figures.push(figure('plan, 1000 nodes, empty cache', 1, await time(repeat, async () => void (await planExperiment(big, registry, bigCache)))));

    log('computing the 1000-node experiment once, to plan it fully cached...');
    const filled = await runExperiment(big, { ...quiet, cache: bigCache });
    if (filled.exitCode !== 0) throw new Error(`bench setup failed: ${filled.outcome}`);
    figures.push(figure('plan, 1000 nodes, all cached', 1, await time(repeat, async () => void (await planExperiment(big, registry, bigCache)))));

    const small = benchGraph(path.join(dir, 'small.yaml'), 100, 10);
    const smallCache = new Cache(path.join(dir, 'cache-small'));
    await runExperiment(small, { ...quiet, cache: smallCache });
    figures.push(
      figure(
        'run, 100 nodes, all cached',
        1,
        await time(repeat, async () => {
          const result = await runExperiment(small, { ...quiet, cache: smallCache });
          if (result.record.counts.cached !== 100) throw new Error(`expected 100 cached nodes, got ${JSON.stringify(result.record.counts)}`);
        }),
      ),
    );
    return figures;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Whole-process figures (start-up included), e.g. with /usr/bin/time after compiling to JS:
 *   engine.js --prepare DIR   computes the 100-node experiment into DIR/cache
 *   engine.js --rerun DIR     reruns it, fully cached, once
 */
async function wholeProcess(mode: '--prepare' | '--rerun', dir: string): Promise<void> {
  const small = benchGraph(path.join(dir, 'small.yaml'), 100, 10);
  const result = await runExperiment(small, { registry: runtimeRegistry(), backend: 'cpu', cache: new Cache(path.join(dir, 'cache')) });
  if (mode === '--rerun' && result.record.counts.cached !== 100) throw new Error(`expected 100 cached nodes, got ${JSON.stringify(result.record.counts)}`);
}

const modeIndex = process.argv.findIndex((arg) => arg === '--prepare' || arg === '--rerun');
if (require.main === module && modeIndex !== -1) {
  wholeProcess(process.argv[modeIndex] as '--prepare' | '--rerun', process.argv[modeIndex + 1]).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  });
} else if (require.main === module) {
  const at = process.argv.indexOf('--repeat');
  const repeat = at === -1 ? 5 : Number(process.argv[at + 1]);
  benchEngine({ repeat, log: (line) => process.stderr.write(line + '\n') }).then(
    (figures) => {
      for (const f of figures) {
        const verdict = f.medianSeconds < f.targetSeconds ? 'ok' : 'SLOW';
        process.stdout.write(
          `${f.name.padEnd(32)} median ${f.medianSeconds.toFixed(3)} s  (min ${f.minSeconds.toFixed(3)}, max ${f.maxSeconds.toFixed(3)}, target < ${f.targetSeconds} s)  ${verdict}\n`,
        );
      }
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
