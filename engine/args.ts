import { parseArgs } from 'util';
import { UsageError } from './errors';
import { didYouMean } from './suggest';

/**
 * Command-line parsing shared by every subcommand: a command declares its positionals and options once,
 * gets typed values back, and the same declaration writes its `--help` text. Anything wrong on the
 * command line is a UsageError (exit code 2) that says what was expected.
 */

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
  default?: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** e.g. `validate`; used in messages and help. */
  command: string;
  summary: string;
  positionals: readonly PositionalSpec[];
  options: O;
}

export type OptionValues<O extends Record<string, OptionSpec>> = {
  -readonly [K in keyof O]: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : O[K] extends { default: string }
        ? string
        : string | undefined;
};

export interface ParsedArgs<O extends Record<string, OptionSpec>> {
  /** In order; their count is checked against the spec. */
  positionals: string[];
  values: OptionValues<O>;
}

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

export function parseCommandArgs<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, args: readonly string[]): ParsedArgs<O> {
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
    const value = parsed.values[name];
    if (option.type === 'boolean') values[name] = value === true;
    else if (option.multiple) values[name] = (value as string[] | undefined) ?? [];
    else values[name] = (value as string | undefined) ?? option.default;
    const given = values[name];
    if (option.choices !== undefined && typeof given === 'string' && !option.choices.includes(given)) {
      throw new UsageError(`${spec.command}: --${name} must be one of ${option.choices.join(', ')}, got "${given}"${didYouMean(given, option.choices)}`);
    }
  }
  const required = spec.positionals.filter((p) => !p.optional).length;
  if (parsed.positionals.length < required) {
    const missing = spec.positionals[parsed.positionals.length];
    throw new UsageError(`${spec.command}: missing <${missing.name}> (${missing.description})\n${synopsis(spec)}`);
  }
  if (parsed.positionals.length > spec.positionals.length) {
    throw new UsageError(`${spec.command}: unexpected argument "${parsed.positionals[spec.positionals.length]}"\n${synopsis(spec)}`);
  }
  return { positionals: parsed.positionals, values: values as OptionValues<O> };
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
  const value = option.type === 'string' ? ` <${option.value ?? (option.choices?.join('|') ?? 'value')}>` : '';
  return `${option.short === undefined ? '' : `-${option.short}, `}--${name}${value}`;
}

function synopsis<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const positionals = spec.positionals.map((p) => (p.optional ? `[${p.name}]` : `<${p.name}>`)).join(' ');
  return `Usage: cardigan ${spec.command} ${positionals}${Object.keys(spec.options).length > 0 ? ' [options]' : ''}`;
}

/** The full `--help` text of a command. */
export function usageText<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): string {
  const flags = Object.entries(spec.options).map(([name, option]) => [optionFlag(name, option), option.description + (option.default === undefined ? '' : ` (default: ${option.default})`)] as const);
  const rows = [...spec.positionals.map((p) => [`<${p.name}>`, p.description] as const), ...flags];
  const width = Math.max(...rows.map(([left]) => left.length));
  return [`cardigan ${spec.command} — ${spec.summary}`, '', synopsis(spec), '', ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join('\n');
}
