import { promises as fs } from 'fs';

/** Whether a file or folder exists (and is reachable); never throws. */
export async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
