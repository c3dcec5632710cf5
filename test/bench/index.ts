import type { BenchResult, BenchSuite } from './suite';

/**
 * `npm run bench -- [suite ...] [--json] [--quick]`: runs the named suites (all by default),
 * prints a table, or with --json one JSON object merging every suite's figures.
 */
// One line per suite; each module exports `suite`. Loaded lazily so one suite's deps never slow another.
const SUITES: Record<string, () => BenchSuite> = {
  backend: () => (require('./backend') as { suite: BenchSuite }).suite,
  camus: () => (require('./camus') as { suite: BenchSuite }).suite,
  kernels: () => (require('./kernels') as { suite: BenchSuite }).suite,
  'mask-vae': () => (require('./mask-vae') as { suite: BenchSuite }).suite,
  models: () => (require('./models') as { suite: BenchSuite }).suite,
};

function usage(): string {
  const lines = Object.keys(SUITES).map((name) => `  ${name}`);
  return ['Usage: npm run bench -- [suite ...] [--json] [--quick]', '', 'Suites:', ...lines].join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const names = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = names.filter((name) => SUITES[name] === undefined);
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite ${unknown.map((n) => `"${n}"`).join(', ')}\n${usage()}\n`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(SUITES);
  const log = (line: string) => process.stderr.write(line + '\n');
  const merged: Record<string, unknown> = { date: new Date().toISOString(), machine: machine(), suites: selected };
  for (const name of selected) {
    const suite = SUITES[name]();
    log(`— ${name}: ${suite.summary}`);
    const result: BenchResult = await suite.run({ quick, log });
    for (const [key, value] of Object.entries(result.json)) {
      if (key in merged) throw new Error(`bench suites disagree: key "${key}" of suite ${name} is already used`);
      merged[key] = value;
    }
    if (!json) process.stdout.write(table(name, result.rows) + '\n');
  }
  if (json) process.stdout.write(JSON.stringify(merged, null, 2) + '\n');
  return 0;
}

function table(name: string, rows: Array<[string, string, string]>): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return [`${name}`, ...rows.map(([label, value, unit]) => `  ${label.padEnd(width)}  ${value} ${unit}`.trimEnd())].join('\n');
}

function machine(): Record<string, unknown> {
  const os = require('os') as typeof import('os');
  return { cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, platform: `${os.platform()}-${os.arch()}` };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
