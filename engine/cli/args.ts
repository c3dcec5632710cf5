import * as path from 'path';
import { parseArgs } from 'util';
import { parseDuration } from './duration';
import { UsageError } from '../errors';
import { didYouMean, notOneOf } from '../suggest';

/**
 * Command-line parsing shared by every subcommand: a command declares its positionals and options once,
 * gets typed values back, and the same declaration writes its `--help` text. Anything wrong on the
 * command line (or in an environment variable standing in for an option) is a UsageError (exit
 * code 2) that says what was expected.
 */

/** How an option's text becomes a typed value; `parse` returns undefined for text it refuses. */
export interface ValueType<T> {
  /** What is expected, completing "must be ...", e.g. `a whole number of at least 1`. */
  expected: string;
  parse(text: string): T | undefined;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** May be given several times; the values come back as a list in command-line order. */
  multiple?: boolean;
  short?: string;
  /** How the value is shown in help, e.g. `id.params.key=value`. */
  value?: string;
  /** Accepted values of a string option. */
  choices?: readonly string[];
  /** Used when the option is absent (and its `env` variable unset or empty). */
  default?: string;
  /** An environment variable that stands in for the option when it is not given, e.g. `CARDIGAN_CACHE`. */
  env?: string;
  /** Typed value of a string option (default: the text itself). */
  as?: ValueType<unknown>;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
  /** Accepted values, e.g. the actions of `cache`. */
  choices?: readonly string[];
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** e.g. `validate` or `cache`; used in messages and help. */
  command: string;
  summary: string;
  positionals: readonly PositionalSpec[];
  options: O;
  /** Paragraphs printed after the options in `--help`. */
  details?: string;
}

type BaseValue<S extends OptionSpec> = S extends { as: ValueType<infer T> } ? T : S extends { choices: readonly (infer C)[] } ? C : string;

export type OptionValues<O extends Record<string, OptionSpec>> = {
  -readonly [K in keyof O]: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? BaseValue<O[K]>[]
      : O[K] extends { default: string }
        ? BaseValue<O[K]>
        : BaseValue<O[K]> | undefined;
};

export interface ParsedArgs<O extends Record<string, OptionSpec>> {
  /** In order; their count (and choices) are checked against the spec. */
  positionals: string[];
  values: OptionValues<O>;
}

/** A whole number of at least `min`. */
export function integerType(min: number): ValueType<number> {
  return {
    expected: min === 0 ? 'a whole number' : `a whole number of at least ${min}`,
    parse: (text) => (/^\d+$/.test(text) && Number(text) >= min ? Number(text) : undefined),
  };
}

/** `90m`, `12h`, `7d`, `2w` as milliseconds. */
export const DURATION: ValueType<number> = { expected: 'a number and a unit, e.g. 90m, 12h, 7d or 2w', parse: parseDuration };

/** A path, made absolute against the working directory. */
export const PATH: ValueType<string> = { expected: 'a path', parse: (text) => path.resolve(text) };

/** The positional of every command that loads an experiment. */
export const EXPERIMENT_POSITIONAL: PositionalSpec = { name: 'experiment.yaml', description: 'the experiment file' };

/** Options of every command that loads an experiment. */
export const EXPERIMENT_OPTIONS = {
  set: {
    type: 'string',
    multiple: true,
    value: 'id.params.key=value',
    description: 'override a param (also id.seed=N, seed=N); the value is read as YAML; repeatable',
  },
  verbose: { type: 'boolean', description: 'print stack traces on errors' },
} as const satisfies Record<string, OptionSpec>;

/** `--cache DIR` of every command that reads or writes the cache. */
export const CACHE_OPTIONS = {
  cache: { type: 'string', value: 'DIR', default: 'cache', env: 'CARDIGAN_CACHE', as: PATH, description: 'cache folder' },
} as const satisfies Record<string, OptionSpec>;

export function parseCommandArgs<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedArgs<O> {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = { type: option.type, multiple: option.multiple === true, ...(option.short === undefined ? {} : { short: option.short }) };
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(describeParseError(spec, (error as Error).message));
  }
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = parsed.values[name];
    if (option.type === 'boolean') {
      values[name] = given === true;
    } else if (option.multiple) {
      values[name] = ((given as string[] | undefined) ?? []).map((text) => typedValue(spec, option, `--${name}`, text));
    } else {
      const fromEnv = option.env === undefined || env[option.env] === undefined || env[option.env] === '' ? undefined : env[option.env];
      const source = given !== undefined ? `--${name}` : fromEnv !== undefined ? `$${option.env}` : `--${name}`;
      const text = (given as string | undefined) ?? fromEnv ?? option.default;
      values[name] = text === undefined ? undefined : typedValue(spec, option, source, text);
    }
  }
  for (const [i, text] of parsed.positionals.entries()) {
    const positional = spec.positionals[i];
    if (positional?.choices !== undefined && !positional.choices.includes(text)) {
      throw new UsageError(`${spec.command}: ${notOneOf(`<${positional.name}>`, text, positional.choices)}`);
    }
  }
  const required = spec.positionals.filter((p) => !p.optional).length;
  if (parsed.positionals.length < required) {
    const missing = spec.positionals[parsed.positionals.length];
    throw new UsageError(`${spec.command}: missing <${missing.name}> (${positionalHelp(missing)})\n${synopsis(spec)}`);
  }
  if (parsed.positionals.length > spec.positionals.length) {
    throw new UsageError(`${spec.command}: unexpected argument "${parsed.positionals[spec.positionals.length]}"\n${synopsis(spec)}`);
  }
  return { positionals: parsed.positionals, values: values as OptionValues<O> };
}

/** `source` is how the user gave the text: `--jobs` or `$CARDIGAN_BACKEND`. */
function typedValue<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, option: OptionSpec, source: string, text: string): unknown {
  if (option.choices !== undefined && !option.choices.includes(text)) {
    throw new UsageError(`${spec.command}: ${notOneOf(source, text, option.choices)}`);
  }
  if (option.as === undefined) return text;
  const value = option.as.parse(text);
  if (value === undefined) throw new UsageError(`${spec.command}: ${source} must be ${option.as.expected}, got "${text}"`);
  return value;
}

function describeParseError<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, message: string): string {
  const unknown = /Unknown option '(-{1,2})([^']+)'/.exec(message);
  if (unknown !== null) {
    const suggestion = didYouMean(unknown[2], Object.keys(spec.options));
    return `${spec.command}: unknown option "${unknown[1]}${unknown[2]}"${suggestion.replace(/"([^"]+)"\?$/, '"--$1"?')}\n${synopsis(spec)}`;
  }
  const missingValue = /Option '(?:-\w, )?--([^ ]+) <value>' argument missing/.exec(message);
  if (missingValue !== null) return `${spec.command}: --${missingValue[1]} needs a value\n${synopsis(spec)}`;
  return `${spec.command}: ${message.split('\n')[0]}\n${synopsis(spec)}`;
}

function optionFlag(name: string, option: OptionSpec): string {
  const value = option.type === 'string' ? ` <${option.value ?? option.choices?.join('|') ?? 'value'}>` : '';
  return `${option.short === undefined ? '' : `-${option.short}, `}--${name}${value}`;
}

function optionHelp(option: OptionSpec): string {
  if (option.env !== undefined) return `${option.description} (default: $${option.env}${option.default === undefined ? '' : `, else ${option.default}`})`;
  return option.default === undefined ? option.description : `${option.description} (default: ${option.default})`;
}

function positionalHelp(positional: PositionalSpec): string {
  return positional.choices === undefined ? positional.description : `${positional.description}: ${positional.choices.join(' | ')}`;
}

function synopsis<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const positionals = spec.positionals.map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`)).join(' ');
  return `Usage: cardigan ${spec.command} ${positionals}${Object.keys(spec.options).length > 0 ? ' [options]' : ''}`;
}

/** The full `--help` text of a command. */
export function usageText<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const flags = Object.entries(spec.options).map(([name, option]) => [optionFlag(name, option), optionHelp(option)] as const);
  const positionals = spec.positionals.map((p) => [`<${p.name}>`, positionalHelp(p)] as const);
  const rows = [...positionals, ...flags];
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = [`cardigan ${spec.command} — ${spec.summary}`, '', synopsis(spec), '', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)];
  if (spec.details !== undefined) lines.push('', spec.details);
  return lines.join('\n');
}
