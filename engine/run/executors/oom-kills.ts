import { readFileSync } from 'fs';
import * as path from 'path';

/**
 * How many processes the out-of-memory killer has ended in this process's memory cgroup so far, or
 * undefined where the kernel does not say. A child that dies of SIGKILL while this count rose was
 * most likely the OOM killer's victim (cgroup v2: memory.events; v1: memory.oom_control).
 */
export function oomKills(): number | undefined {
  let cgroups: string;
  try {
    cgroups = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const line of cgroups.split('\n')) {
    const [, controllers, where] = line.split(':');
    if (where === undefined) continue;
    if (controllers === '') candidates.push(path.join('/sys/fs/cgroup', where, 'memory.events'));
    if (controllers.split(',').includes('memory'))
      candidates.push(path.join('/sys/fs/cgroup/memory', where, 'memory.oom_control'), '/sys/fs/cgroup/memory/memory.oom_control');
  }
  for (const file of candidates) {
    try {
      const match = /^oom_kill (\d+)$/m.exec(readFileSync(file, 'utf8'));
      if (match !== null) return Number(match[1]);
    } catch {
      // Not this cgroup layout.
    }
  }
  return undefined;
}
