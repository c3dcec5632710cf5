import { promises as fs } from 'fs';
import * as path from 'path';

/** A file of a node's output, by its path relative to the output folder (`/`-separated). */
export interface ArtifactFile {
  rel: string;
  abs: string;
  size: number;
}

/**
 * One output port's folder, listed once. Sections `claim` the files they show, so that whatever no
 * section understood still appears (as a picture or in the file list) exactly once.
 */
export class ArtifactFolder {
  private readonly claimed = new Set<string>();

  constructor(
    readonly port: string,
    readonly dir: string,
    readonly files: readonly ArtifactFile[],
  ) {}

  static async read(port: string, dir: string): Promise<ArtifactFolder> {
    const files: ArtifactFile[] = [];
    await walk(dir, '', files);
    files.sort((a, b) => a.rel.localeCompare(b.rel));
    return new ArtifactFolder(port, dir, files);
  }

  /** The file at this relative path, if any. */
  get(rel: string): ArtifactFile | undefined {
    return this.files.find((file) => file.rel === rel);
  }

  /** Every file with this name, at any depth. */
  named(name: string): ArtifactFile[] {
    return this.files.filter((file) => path.posix.basename(file.rel) === name);
  }

  claim(file: ArtifactFile | undefined): void {
    if (file !== undefined) this.claimed.add(file.rel);
  }

  isClaimed(file: ArtifactFile): boolean {
    return this.claimed.has(file.rel);
  }

  unclaimed(): ArtifactFile[] {
    return this.files.filter((file) => !this.claimed.has(file.rel));
  }
}

async function walk(root: string, rel: string, out: ArtifactFile[]): Promise<void> {
  const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  for (const entry of entries) {
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      await walk(root, child, out);
    } else if (entry.isFile()) {
      const abs = path.join(root, child);
      out.push({ rel: child, abs, size: (await fs.stat(abs)).size });
    }
  }
}

/** `1.2 MB`, `340 kB`, `12 B`: sizes for people. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toPrecision(2)} ${units[unit]}`;
}
