import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { node as loadCamus } from '../../nodes/types/load-camus/node';
import { generateCohort, type SynthFormat } from '../../nodes/camus/synth/generate';
import { readDataset } from '../../nodes/data/dataset-artifact';
import { makeTestContext } from '../rig/node-context';
import { withDefaults } from '../rig/params';
import { round, type BenchOptions, type BenchResult, type BenchSuite } from './suite';

/**
 * Generating a synthetic CAMUS cohort at native size and loading it at 256 × 256 with load-camus —
 * the target is 500 patients (2000 images) in under 2 minutes — then reading the cached trainval
 * artifact back, which should run near disk speed (compared with plain file reads in the same run).
 *
 *   npm run bench -- camus [--quick]                  (500 patients, NIfTI then MetaImage; --quick: 50, NIfTI)
 *   node dist/test/bench/camus.js [patients] [nifti|mhd]   (after `npx tsc -p tsconfig.bench.json`)
 */

/** Wall seconds, and CPU seconds of the whole process (worker and zlib threads included). */
async function timed<T>(work: () => Promise<T>): Promise<[T, number, number]> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  return [result, Number(process.hrtime.bigint() - start) / 1e9, (used.user + used.system) / 1e6];
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.stat(path.join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

export interface CamusBenchFigures {
  patients: number;
  format: SynthFormat;
  images: number;
  cohortMB: number;
  generateSeconds: number;
  loadSeconds: number;
  totalSeconds: number;
  generateCpuSeconds: number;
  loadCpuSeconds: number;
  trainvalItems: number;
  trainvalMB: number;
  artifactReadMBps: number;
  rawReadMBps: number;
}

export async function benchCamus(patients: number, format: SynthFormat): Promise<CamusBenchFigures> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-bench-camus-'));
  const ctx = await makeTestContext({ nodeId: 'camus' });
  try {
    const cohort = path.join(root, 'camus');
    const [, generateSeconds, generateCpu] = await timed(() => generateCohort({ outDir: cohort, patients, seed: 1, format }));
    const [, loadSeconds, loadCpu] = await timed(() => loadCamus.run(ctx, {}, withDefaults(loadCamus, { source: cohort, size: 256 })));
    const trainval = path.join(ctx.root, 'out', 'trainval');
    const bytes = await folderBytes(trainval);
    // Read the artifact once raw (the disk/page-cache yardstick) and once through the dataset reader.
    const [, rawSeconds] = await timed(async () => {
      for (const name of await fs.readdir(trainval)) await fs.readFile(path.join(trainval, name));
    });
    const [dataset, readSeconds] = await timed(() => readDataset(trainval));
    return {
      patients,
      format,
      images: patients * 4,
      cohortMB: Math.round((await folderBytes(cohort)) / 1e6),
      generateSeconds: round(generateSeconds, 1),
      loadSeconds: round(loadSeconds, 1),
      totalSeconds: round(generateSeconds + loadSeconds, 1),
      generateCpuSeconds: round(generateCpu, 1),
      loadCpuSeconds: round(loadCpu, 1),
      trainvalItems: dataset.manifest.items.length,
      trainvalMB: Math.round(bytes / 1e6),
      artifactReadMBps: Math.round(bytes / 1e6 / readSeconds),
      rawReadMBps: Math.round(bytes / 1e6 / rawSeconds),
    };
  } finally {
    await fs.rm(ctx.root, { recursive: true, force: true });
    await fs.rm(root, { recursive: true, force: true });
  }
}

const TARGET_SECONDS_FOR_500 = 120;

function rows(figures: CamusBenchFigures): Array<[string, string, string]> {
  const tag = `${figures.patients} patients, ${figures.format}`;
  return [
    [`generate (${tag})`, String(figures.generateSeconds), `s wall (${figures.generateCpuSeconds} s CPU)`],
    [`load at 256 px (${tag})`, String(figures.loadSeconds), `s wall (${figures.loadCpuSeconds} s CPU)`],
    [`generate + load (${tag})`, String(figures.totalSeconds), `s wall (target < ${(TARGET_SECONDS_FOR_500 * figures.patients) / 500} s)`],
    [`read cached trainval (${figures.trainvalMB} MB)`, String(figures.artifactReadMBps), `MB/s (raw file reads: ${figures.rawReadMBps} MB/s)`],
  ];
}

export const suite: BenchSuite = {
  name: 'camus',
  summary: 'synthetic CAMUS: generate 500 patients and load them at 256 px (target < 2 min), read the artifact back',
  async run(options: BenchOptions): Promise<BenchResult> {
    const runs: Array<[number, SynthFormat]> = options.quick
      ? [[50, 'nifti']]
      : [
          [500, 'nifti'],
          [500, 'mhd'],
        ];
    const figures: CamusBenchFigures[] = [];
    for (const [patients, format] of runs) {
      options.log(`generating and loading ${patients} synthetic patients (${format})…`);
      figures.push(await benchCamus(patients, format));
    }
    return { rows: figures.flatMap(rows), json: { camus: { targetSecondsFor500: TARGET_SECONDS_FOR_500, runs: figures } } };
  },
};

if (require.main === module) {
  const patients = Number(process.argv[2] ?? 500);
  const format = (process.argv[3] ?? 'nifti') as SynthFormat;
  benchCamus(patients, format).then(
    (figures) => process.stdout.write(JSON.stringify(figures, null, 1) + '\n'),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
