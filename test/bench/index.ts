import type { BenchResult, BenchSuite } from './suite';

/**
 * `npm run bench -- [suite ...] [--json] [--quick] [--option value ...]`: runs the named suites (all
 * by default), prints a table, or with --json one JSON object merging every suite's figures. Options
 * with a value go to the suites that declare them (`npm run bench -- profile --model enet`).
 */
// One line per suite; each module exports `suite`. Loaded lazily so one suite's deps never slow another.
const SUITES: Record<string, () => BenchSuite> = {
  backend: () => (require('./backend') as { suite: BenchSuite }).suite,
  camus: () => (require('./camus') as { suite: BenchSuite }).suite,
  gpu: () => (require('./gpu') as { suite: BenchSuite }).suite,
  kernels: () => (require('./kernels') as { suite: BenchSuite }).suite,
  'mask-vae': () => (require('./mask-vae') as { suite: BenchSuite }).suite,
  models: () => (require('./models') as { suite: BenchSuite }).suite,
  profile: () => (require('./profile') as { suite: BenchSuite }).suite,
};

/** Flags without a value; every other `--name` takes one (`--name value` or `--name=value`). */
const FLAGS = new Set(['json', 'quick', 'help']);

function usage(): string {
  const lines = Object.entries(SUITES).flatMap(([name, load]) => {
    const options = load().options ?? {};
    return [`  ${name}`, ...Object.entries(options).map(([option, help]) => `      --${option} ${help}`)];
  });
  return ['Usage: npm run bench -- [suite ...] [--json] [--quick] [--option value ...]', '', 'Suites:', ...lines].join('\n');
}

interface ParsedArgs {
  names: string[];
  flags: Set<string>;
  options: Record<string, string>;
}

function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { names: [], flags: new Set(), options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') parsed.flags.add('help');
    else if (!arg.startsWith('--')) parsed.names.push(arg);
    else {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (FLAGS.has(name)) parsed.flags.add(name);
      else if (inline !== undefined) parsed.options[name] = inline;
      else if (i + 1 < argv.length) parsed.options[name] = argv[++i];
      else throw new Error(`option --${name} needs a value`);
    }
  }
  return parsed;
}

async function main(argv: string[]): Promise<number> {
  const { names, flags, options } = parseArgs(argv);
  if (flags.has('help')) {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  const json = flags.has('json');
  const quick = flags.has('quick');
  const unknown = names.filter((name) => SUITES[name] === undefined);
  if (unknown.length > 0) {
    process.stderr.write(`unknown suite ${unknown.map((n) => `"${n}"`).join(', ')}\n${usage()}\n`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(SUITES);
  const declared = new Set(selected.flatMap((name) => Object.keys(SUITES[name]().options ?? {})));
  const stray = Object.keys(options).filter((option) => !declared.has(option));
  if (stray.length > 0) {
    process.stderr.write(`no selected suite takes ${stray.map((o) => `--${o}`).join(', ')}\n${usage()}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(line + '\n');
  const merged: Record<string, unknown> = { date: new Date().toISOString(), machine: machine(), suites: selected };
  for (const name of selected) {
    const suite = SUITES[name]();
    log(`— ${name}: ${suite.summary}`);
    const result: BenchResult = await suite.run({ quick, log, args: options });
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
