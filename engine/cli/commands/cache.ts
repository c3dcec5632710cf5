import * as path from 'path';
import { CACHE_OPTIONS, type CommandSpec, DURATION, integerType, parseCommandArgs } from '../args';
import { Cache } from '../../cache/cache';
import { collectGarbage } from '../../run/gc';
import { listEntries, verifyCache } from '../../cache/inspect';
import { defineCommand } from '../command';
import { formatAge, formatBytes } from '../duration';
import { UsageError, unreachable } from '../../errors';
import { shortKey } from '../../keys/key';

const OPTIONS = {
  'keep-last': { type: 'string', value: 'N', as: integerType(0), description: 'gc: remove entries not used by the N most recent runs' },
  'older-than': { type: 'string', value: 'AGE', as: DURATION, description: 'gc: remove entries not used for AGE, e.g. 7d (units s, m, h, d, w)' },
  'dry-run': { type: 'boolean', description: 'gc: list what would be removed, remove nothing' },
  json: { type: 'boolean', description: 'print the result as JSON' },
  ...CACHE_OPTIONS,
} as const;

const ACTIONS = ['ls', 'verify', 'gc'] as const;

const SPEC = {
  command: 'cache',
  summary: 'inspect and clean the cache (ls | verify | gc)',
  positionals: [{ name: 'action', description: 'what to do', choices: ACTIONS }],
  options: OPTIONS,
  details: `  ls       list entries: key, node, type, size, age, last used
  verify   rehash every file of every entry; damaged entries are moved to cache/quarantine/ and
           listed; exit code 1 if there were any
  gc       remove entries by --keep-last N and/or --older-than AGE (both together: an entry goes
           only if neither keeps it)

gc never removes an entry being written by a running process, nor one used by a run still in
progress. Run records (cache/runs/) are kept. gc also empties cache/quarantine/ and removes stale
memos of external data from cache/fingerprints/: data folder gone, unreadable, or not used for
--older-than (30 days without it), and the job folders (cache/jobs/) of workers that finished, or
were abandoned longer ago than --older-than (30 days without it).`,
} satisfies CommandSpec<typeof OPTIONS>;

export type CacheCliOptions =
  | { action: 'ls'; cache: string; json: boolean }
  | { action: 'verify'; cache: string; json: boolean }
  | { action: 'gc'; cache: string; json: boolean; keepLast: number | undefined; olderThanMs: number | undefined; dryRun: boolean };

export function parseCacheOptions(args: string[], env: NodeJS.ProcessEnv = process.env): CacheCliOptions {
  const { positionals, values } = parseCommandArgs(SPEC, args, env);
  const action = positionals[0] as (typeof ACTIONS)[number];
  const { cache, json } = values;
  if (action !== 'gc') {
    const gcOnly = (['keep-last', 'older-than', 'dry-run'] as const).find((name) => values[name] !== undefined && values[name] !== false);
    if (gcOnly !== undefined) throw new UsageError(`cache ${action}: --${gcOnly} belongs to "cache gc"`);
    return { action, cache, json };
  }
  const keepLast = values['keep-last'];
  const olderThanMs = values['older-than'];
  if (keepLast === undefined && olderThanMs === undefined) {
    throw new UsageError('cache gc: say what to keep, with --keep-last N (entries of the N most recent runs) and/or --older-than 7d');
  }
  return { action, cache, json, keepLast, olderThanMs, dryRun: values['dry-run'] };
}

export const command = defineCommand(SPEC, async (args) => {
  const options = parseCacheOptions(args);
  const cache = new Cache(options.cache);
  const out = (text: string): void => {
    process.stdout.write(text + '\n');
  };
  switch (options.action) {
    case 'ls': {
      const entries = await listEntries(cache);
      if (options.json) {
        out(JSON.stringify(entries, null, 2));
        return 0;
      }
      const now = Date.now();
      const idWidth = Math.max(4, ...entries.map((entry) => entry.nodeId.length));
      const typeWidth = Math.max(4, ...entries.map((entry) => entry.type.length));
      out(`${'key'.padEnd(10)}  ${'node'.padEnd(idWidth)}  ${'type'.padEnd(typeWidth)}  ${'size'.padStart(10)}  ${'age'.padStart(5)}  ${'used'.padStart(5)}`);
      for (const entry of entries) {
        const age = formatAge(now - Date.parse(entry.createdAt));
        const used = formatAge(now - Date.parse(entry.lastUsed));
        out(
          `${shortKey(entry.key)}  ${entry.nodeId.padEnd(idWidth)}  ${`${entry.type}@${entry.version}`.padEnd(typeWidth)}  ${formatBytes(entry.size).padStart(10)}  ${age.padStart(5)}  ${used.padStart(5)}`,
        );
      }
      out(`${entries.length} entries, ${formatBytes(entries.reduce((sum, entry) => sum + entry.size, 0))} in ${cache.root}`);
      return 0;
    }
    case 'verify': {
      const report = await verifyCache(cache);
      if (options.json) {
        out(JSON.stringify(report, null, 2));
      } else {
        for (const bad of report.bad) {
          out(`damaged  ${bad.key}${bad.movedTo === null ? '' : `  (moved to ${bad.movedTo})`}`);
          for (const problem of bad.problems) out(`    ${problem}`);
        }
        if (report.orphans.length > 0) out(`removed ${report.orphans.length} unfinished temp entries of killed runs`);
        out(`verified ${report.checked} entries: ${report.bad.length === 0 ? 'all intact' : `${report.bad.length} damaged`}`);
      }
      return report.bad.length === 0 ? 0 : 1;
    }
    case 'gc': {
      const report = await collectGarbage(cache, { keepLast: options.keepLast, olderThanMs: options.olderThanMs, dryRun: options.dryRun });
      if (options.json) {
        out(JSON.stringify(report, null, 2));
        return 0;
      }
      const verb = report.dryRun ? 'would remove' : 'removed';
      for (const entry of report.removed) out(`${verb}  ${shortKey(entry.key)}  ${entry.nodeId}  ${formatBytes(entry.size)}`);
      for (const entry of report.protected) out(`kept     ${shortKey(entry.key)}  ${entry.reason}`);
      if (report.quarantine.length > 0) out(`${verb} ${report.quarantine.length} quarantined entries`);
      for (const memo of report.fingerprints) out(`${verb}  fingerprints/${path.basename(memo.file)}  ${memo.reason}`);
      if (report.jobs.length > 0) out(`${verb} ${report.jobs.length} job folder${report.jobs.length === 1 ? '' : 's'} of finished or abandoned workers`);
      out(`${verb} ${report.removed.length} entries (${formatBytes(report.freedBytes)}), kept ${report.kept + report.protected.length}`);
      return 0;
    }
    default:
      return unreachable(options);
  }
});
