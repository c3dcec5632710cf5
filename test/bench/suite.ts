/** One named benchmark suite of `npm run bench -- <suite> [--json]`. */
export interface BenchSuite {
  readonly name: string;
  /** One line for `npm run bench -- --help`. */
  readonly summary: string;
  /** `--name value` options it takes, with one line each for `--help`. */
  readonly options?: Readonly<Record<string, string>>;
  run(options: BenchOptions): Promise<BenchResult>;
}

export interface BenchOptions {
  /** Fewer repetitions: a smoke run, not figures to report. */
  quick: boolean;
  /** Progress lines (stderr), so that --json keeps stdout clean. */
  log: (line: string) => void;
  /** The `--name value` options given on the command line (only names some selected suite declares). */
  args: Readonly<Record<string, string>>;
}

export interface BenchResult {
  /** Human-readable rows: label, value, unit. */
  rows: Array<[string, string, string]>;
  /** Machine-readable figures; keys are unique across suites (they are merged into one object). */
  json: Record<string, unknown>;
}

/** Median of a few timings of `fn` (ms), after `warmup` untimed calls. */
export async function medianMs(fn: () => Promise<void> | void, repeats: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
