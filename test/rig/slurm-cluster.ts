import { execFile, spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const script = path.resolve(__dirname, '..', 'slurm', 'cluster.sh');
const run = promisify(execFile);

/** A single-node cluster on this machine (test/slurm/cluster.sh); clients reach it through `env`. */
export interface SlurmCluster {
  dir: string;
  env: { SLURM_CONF: string };
  stop(): Promise<void>;
}

export async function startSlurmCluster(): Promise<SlurmCluster> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-slurm-'));
  await fs.chmod(dir, 0o755);
  try {
    await run(script, ['start', dir], { timeout: 60_000 });
  } catch (error) {
    await run(script, ['stop', dir]).catch(() => undefined);
    throw new Error(`test/slurm/cluster.sh start failed: ${(error as { stderr?: string }).stderr ?? (error as Error).message}`);
  }
  // Stops the daemons if this process dies before `stop` (a killed test runner).
  spawn(script, ['watch', dir, String(process.pid)], { detached: true, stdio: 'ignore' }).unref();
  return {
    dir,
    env: { SLURM_CONF: path.join(dir, 'slurm.conf') },
    async stop() {
      await run(script, ['stop', dir], { timeout: 60_000 });
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
