/**
 * Engine benchmark (not a test): the speed targets of the engine issue, measured from YAML as a user
 * meets them.
 *   - plan of a 1000-node experiment (40-member matrix + 960 written nodes): under 1 s, with the
 *     loader (YAML, schemas, matrix, plugins) and without it, on an empty and on a full cache
 *   - a fully cached rerun of 100 nodes: under 1 s, in process and as a whole `cardigan run` process,
 *     and through `npx cardigan run` with the experiment's report (left as it is: nothing changed)
 *
 * Run from the repository root, straight from the sources:
 *   node -r ./test/rig/ts-register.js test/bench/engine.ts [--repeat 5]
 * It builds what it needs in a temp folder (computing 1000 tiny nodes once takes a while), times each
 * case `--repeat` times and prints the median, min and max. The whole-process case runs the compiled
 * CLI: from the sources the bench first compiles the project into dist/ (tsc), since a process that
 * compiled TypeScript on start would time the compiler. `benchEngine()` returns the same figures for a
 * harness that runs several benchmarks.
 */
import { spawnSync } from 'child_process';
import { existsSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Cache } from '../../engine/cache/cache';
import { loadForCommand } from '../../engine/cli/commands/load';
import { CARDIGAN } from '../../nodes/cardigan';
import type { RunEvent } from '../../engine/run/events';
import { planExperiment } from '../../engine/run/planner';
import { runExperiment } from '../../engine/run/scheduler';

export interface BenchFigure {
  name: string;
  targetSeconds: number | undefined;
  medianSeconds: number;
  minSeconds: number;
  maxSeconds: number;
}

const root = path.resolve(__dirname, '..', '..');

/**
 * A matrix group of `roots` t-emit sources, then t-digest nodes that each read two earlier nodes, so
 * that the graph is deep (about n/roots levels) as well as wide. Every output is a 64-byte file.
 */
export function benchYaml(n: number, roots: number, plugin: string): string {
  const ref = (i: number): string => (i < roots ? `"src[value=${i}].out"` : `j${i}.out`);
  const lines = [
    `name: bench-${n}`,
    `plugins: [${plugin}]`,
    'nodes:',
    `  src: { type: t-emit, matrix: { value: [${Array.from({ length: roots }, (_, i) => i).join(', ')}] } }`,
  ];
  for (let i = roots; i < n; i++)
    lines.push(`  j${i}: { type: t-digest, params: { tag: "${i}" }, inputs: { in: [${ref(i - roots)}, ${ref(i - roots + 1)}] } }`);
  return lines.join('\n') + '\n';
}

async function time(repeat: number, task: () => Promise<void> | void): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    await task();
    seconds.push((performance.now() - start) / 1000);
  }
  return seconds.sort((a, b) => a - b);
}

function figure(name: string, targetSeconds: number | undefined, seconds: number[]): BenchFigure {
  return { name, targetSeconds, medianSeconds: seconds[Math.floor(seconds.length / 2)], minSeconds: seconds[0], maxSeconds: seconds[seconds.length - 1] };
}

/** The compiled CLI and runtime test nodes: this file's siblings when it runs compiled, else a fresh tsc build into dist/. */
function compiled(log: (line: string) => void): { cli: string; plugin: string } {
  const dist = __filename.endsWith('.js') ? path.resolve(__dirname, '..', '..') : path.join(root, 'dist');
  if (!__filename.endsWith('.js')) {
    log('compiling the project into dist/ for the whole-process case (tsc)...');
    const tsc = spawnSync(
      process.execPath,
      [
        path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'),
        '-p',
        path.join(root, 'tsconfig.json'),
        '--noEmit',
        'false',
        '--outDir',
        dist,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  }
  const found = { cli: path.join(dist, 'engine', 'cli', 'main.js'), plugin: path.join(dist, 'test', 'rig', 'runtime-nodes.js') };
  for (const file of Object.values(found))
    if (!existsSync(file)) throw new Error(`${file} is missing: build with tsc -p tsconfig.json --noEmit false --outDir dist`);
  return found;
}

/** `cardigan run` as its own process (or through npx, as the README runs it), checking that every node came from the cache. */
function cliRerun(cli: string | 'npx', file: string, cache: string, nodes: number): void {
  const args = ['run', file, '--cache', cache, '--backend', 'cpu', '--json'];
  const result =
    cli === 'npx'
      ? spawnSync('npx', ['cardigan', ...args], { cwd: root, encoding: 'utf8' })
      : spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cardigan run exited ${String(result.status)}: ${result.stderr}`);
  const events = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
  const cached = events.filter((event) => event.type === 'node-cached').length;
  if (cached !== nodes) throw new Error(`expected ${nodes} cached nodes, got ${cached}`);
}

export async function benchEngine(options: { repeat?: number; log?: (line: string) => void } = {}): Promise<BenchFigure[]> {
  const repeat = options.repeat ?? 5;
  const log = options.log ?? (() => undefined);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-bench-'));
  const sources = require.resolve('../rig/runtime-nodes');
  const quiet = { backend: 'cpu' as const, jobs: Math.max(2, os.availableParallelism()) };
  try {
    const figures: BenchFigure[] = [];
    const bigFile = path.join(dir, 'big.yaml');
    await fs.writeFile(bigFile, benchYaml(1000, 40, sources));
    const big = await loadForCommand(bigFile, [], CARDIGAN);
    if (big.experiment.nodes.length !== 1000) throw new Error(`expected 1000 nodes, got ${big.experiment.nodes.length}`);
    const bigCache = new Cache(path.join(dir, 'cache-big'));
    const plan = async (): Promise<void> => void (await planExperiment(big.experiment, big.registry, bigCache));
    const loadAndPlan = async (): Promise<void> => {
      const { experiment, registry } = await loadForCommand(bigFile, [], CARDIGAN);
      await planExperiment(experiment, registry, bigCache);
    };
    figures.push(figure('load, 1000 nodes from YAML', undefined, await time(repeat, async () => void (await loadForCommand(bigFile, [], CARDIGAN)))));
    figures.push(figure('plan, 1000 nodes, empty cache', 1, await time(repeat, plan)));
    figures.push(figure('load + plan, 1000, empty cache', 1, await time(repeat, loadAndPlan)));

    log('computing the 1000-node experiment once, to plan it fully cached...');
    const filled = await runExperiment(big.experiment, { ...quiet, registry: big.registry, cache: bigCache });
    if (filled.exitCode !== 0) throw new Error(`bench setup failed: ${filled.outcome}`);
    figures.push(figure('plan, 1000 nodes, all cached', 1, await time(repeat, plan)));
    figures.push(figure('load + plan, 1000, all cached', 1, await time(repeat, loadAndPlan)));

    const smallFile = path.join(dir, 'small.yaml');
    await fs.writeFile(smallFile, benchYaml(100, 10, sources));
    const small = await loadForCommand(smallFile, [], CARDIGAN);
    const smallCache = new Cache(path.join(dir, 'cache-small'));
    await runExperiment(small.experiment, { ...quiet, registry: small.registry, cache: smallCache });
    figures.push(
      figure(
        'run, 100 nodes, all cached',
        1,
        await time(repeat, async () => {
          const result = await runExperiment(small.experiment, { ...quiet, registry: small.registry, cache: smallCache });
          if (result.record.counts.cached !== 100) throw new Error(`expected 100 cached nodes, got ${JSON.stringify(result.record.counts)}`);
        }),
      ),
    );

    // The same experiment naming the compiled plugin: the plugin's path is in no key, so the cache above serves it.
    const { cli, plugin } = compiled(log);
    const smallCli = path.join(dir, 'small-cli.yaml');
    await fs.writeFile(smallCli, benchYaml(100, 10, plugin));
    figures.push(figure('cardigan run (process), 100 cached', 1, await time(repeat, () => cliRerun(cli, smallCli, smallCache.root, 100))));
    // Through npx and with a report, as a newcomer reruns the quickstart; the first run writes the page.
    const withReport = path.join(dir, 'small-report.yaml');
    await fs.writeFile(withReport, `report: ${path.join(dir, 'small-report.html')}\n${benchYaml(100, 10, plugin)}`);
    cliRerun('npx', withReport, smallCache.root, 100);
    figures.push(figure('npx cardigan run, 100 cached + report', 1, await time(repeat, () => cliRerun('npx', withReport, smallCache.root, 100))));
    return figures;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const at = process.argv.indexOf('--repeat');
  const repeat = at === -1 ? 5 : Number(process.argv[at + 1]);
  benchEngine({ repeat, log: (line) => process.stderr.write(line + '\n') }).then(
    (figures) => {
      for (const f of figures) {
        const target = f.targetSeconds === undefined ? '' : `, target < ${f.targetSeconds} s)  ${f.medianSeconds < f.targetSeconds ? 'ok' : 'SLOW'}`;
        process.stdout.write(
          `${f.name.padEnd(36)} median ${f.medianSeconds.toFixed(3)} s  (min ${f.minSeconds.toFixed(3)}, max ${f.maxSeconds.toFixed(3)}${target || ')'}\n`,
        );
      }
    },
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
