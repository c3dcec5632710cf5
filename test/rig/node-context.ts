import { mkdirSync, promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CheckpointStore, NodeContext, ProgressUpdate } from '../../engine/node-api';

/**
 * A NodeContext over a temp folder, for unit tests of a single node's `run` without the engine.
 * Outputs land in `<root>/out/<port>`; progress and log lines are recorded for assertions.
 */
export interface TestContext extends NodeContext {
  readonly root: string;
  readonly progressUpdates: ProgressUpdate[];
  readonly logLines: string[];
}

/** `experimentDir` stands for the experiment file's folder, against which `resolvePath` resolves relative paths (default: the working directory). */
export async function makeTestContext(options: { nodeId?: string; seed?: number; backend?: string; experimentDir?: string } = {}): Promise<TestContext> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-node-'));
  const scratchDir = path.join(root, 'scratch');
  const checkpointRoot = path.join(root, 'checkpoints');
  await fs.mkdir(scratchDir, { recursive: true });
  const progressUpdates: ProgressUpdate[] = [];
  const logLines: string[] = [];
  let counter = 0;
  const checkpoints: CheckpointStore = {
    async latest() {
      const dir = path.join(checkpointRoot, 'latest');
      try {
        await fs.access(dir);
        return dir;
      } catch {
        return undefined;
      }
    },
    async save(write) {
      const temp = path.join(checkpointRoot, `tmp-${counter++}`);
      await fs.mkdir(temp, { recursive: true });
      await write(temp);
      await fs.rm(path.join(checkpointRoot, 'latest'), { recursive: true, force: true });
      await fs.rename(temp, path.join(checkpointRoot, 'latest'));
    },
  };
  const controller = new AbortController();
  return {
    root,
    nodeId: options.nodeId ?? 'node',
    seed: options.seed ?? 1,
    key: '0'.repeat(64),
    backend: options.backend ?? 'cpu',
    scratchDir,
    resolvePath: (written) => path.resolve(options.experimentDir ?? process.cwd(), written),
    checkpoints,
    signal: controller.signal,
    progressUpdates,
    logLines,
    outputDir(port: string) {
      const dir = path.join(root, 'out', port);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
    progress(update) {
      progressUpdates.push(update);
    },
    log(message) {
      logLines.push(message);
    },
  };
}
