import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';

/**
 * Writes a tree of experiment files (and plugins) from an object into a fresh temp folder. A string is
 * written as is, so golden tests control every line and column; anything else is written as YAML.
 */
export class ExperimentTree {
  private constructor(readonly root: string) {}

  static async create(files: Record<string, unknown> = {}): Promise<ExperimentTree> {
    const tree = new ExperimentTree(await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-exp-')));
    await tree.write(files);
    return tree;
  }

  async write(files: Record<string, unknown>): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      const file = this.path(name);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, typeof content === 'string' ? content : stringify(content));
    }
  }

  path(name: string): string {
    return path.join(this.root, name);
  }

  async remove(): Promise<void> {
    await fs.rm(this.root, { recursive: true, force: true });
  }
}
