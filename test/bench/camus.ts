import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCamus } from '../../nodes/camus/load-camus';
import { generateCohort, type SynthFormat } from '../../nodes/camus/synth/generate';
import { readDataset } from '../../nodes/data/dataset-artifact';
import { makeTestContext } from '../rig/node-context';

/**
 * Benchmark: generate a synthetic CAMUS cohort at native size and load it at 256 × 256 with
 * load-camus — the target is 500 patients (2000 images) in under 2 minutes — then read the cached
 * trainval artifact back, which should run near disk speed.
 *
 *   npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/camus.js [patients] [nifti|mhd]
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

async function main(): Promise<void> {
  const patients = Number(process.argv[2] ?? 500);
  const format = (process.argv[3] ?? 'nifti') as SynthFormat;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-bench-camus-'));
  try {
    const cohort = path.join(root, 'camus');
    const [, generateSeconds, generateCpu] = await timed(() => generateCohort({ outDir: cohort, patients, seed: 1, format }));
    const ctx = await makeTestContext({ nodeId: 'camus' });
    const [, loadSeconds, loadCpu] = await timed(() => loadCamus.run(ctx, {}, { source: cohort, size: 256 }));
    const trainval = path.join(ctx.root, 'out', 'trainval');
    const bytes = await folderBytes(trainval);
    // Read the artifact once raw (the disk/page-cache yardstick) and once through the dataset reader.
    const [, rawSeconds] = await timed(async () => {
      for (const name of await fs.readdir(trainval)) await fs.readFile(path.join(trainval, name));
    });
    const [dataset, readSeconds] = await timed(() => readDataset(trainval));
    const total = generateSeconds + loadSeconds;
    const report = {
      patients,
      format,
      images: patients * 4,
      cohortMB: Math.round((await folderBytes(cohort)) / 1e6),
      generateSeconds: Number(generateSeconds.toFixed(1)),
      loadSeconds: Number(loadSeconds.toFixed(1)),
      totalSeconds: Number(total.toFixed(1)),
      generateCpuSeconds: Number(generateCpu.toFixed(1)),
      loadCpuSeconds: Number(loadCpu.toFixed(1)),
      targetSeconds: 120,
      trainvalItems: dataset.manifest.items.length,
      trainvalMB: Math.round(bytes / 1e6),
      artifactReadMBps: Math.round(bytes / 1e6 / readSeconds),
      rawReadMBps: Math.round(bytes / 1e6 / rawSeconds),
    };
    process.stdout.write(JSON.stringify(report, null, 1) + '\n');
    process.stdout.write(`${patients} patients (${patients * 4} images, ${format}): generate ${report.generateSeconds} s + load at 256 px ${report.loadSeconds} s = ${report.totalSeconds} s wall (target < 120 s for 500); CPU ${report.generateCpuSeconds} s + ${report.loadCpuSeconds} s\n`);
    process.stdout.write(`cached trainval artifact (${report.trainvalMB} MB): ${report.artifactReadMBps} MB/s through readDataset vs ${report.rawReadMBps} MB/s raw file reads\n`);
    await fs.rm(ctx.root, { recursive: true, force: true });
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
