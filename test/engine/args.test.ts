import { EXPERIMENT_OPTIONS, parseCommandArgs, usageText } from '../../engine/cli/args';
import type { CommandSpec } from '../../engine/cli/args';
import { UsageError } from '../../engine/errors';

const OPTIONS = {
  jobs: { type: 'string', short: 'j', default: '2', description: 'parallel cpu nodes' },
  only: { type: 'string', multiple: true, description: 'run only these nodes' },
  format: { type: 'string', choices: ['text', 'json'], description: 'output format' },
  ...EXPERIMENT_OPTIONS,
} as const;

const SPEC = {
  command: 'run',
  summary: 'run an experiment',
  positionals: [{ name: 'experiment.yaml', description: 'the experiment file' }],
  options: OPTIONS,
} satisfies CommandSpec<typeof OPTIONS>;

describe('parseCommandArgs', () => {
  it('returns typed values: defaults, repeated options in order, booleans', () => {
    const { positionals, values } = parseCommandArgs(SPEC, ['x.yaml', '--set', 'a.params.b=1', '-j', '4', '--set=c.seed=2', '--verbose']);
    expect(positionals).toEqual(['x.yaml']);
    expect(values).toEqual({ jobs: '4', only: [], format: undefined, set: ['a.params.b=1', 'c.seed=2'], verbose: true });
    expect(parseCommandArgs(SPEC, ['x.yaml']).values).toEqual({ jobs: '2', only: [], format: undefined, set: [], verbose: false });
  });

  it('throws UsageError with the fix for every kind of mistake', () => {
    const message = (args: string[]): string => {
      try {
        parseCommandArgs(SPEC, args);
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        return (error as Error).message.split('\n')[0];
      }
      throw new Error('no error');
    };
    expect(message(['x.yaml', '--onyl', 'a'])).toBe('run: unknown option "--onyl" — did you mean "--only"?');
    expect(message(['x.yaml', '--format', 'jsn'])).toBe('run: --format must be one of text, json, got "jsn" — did you mean "json"?');
    expect(message(['x.yaml', '--set'])).toBe('run: --set needs a value');
    expect(message([])).toBe('run: missing <experiment.yaml> (the experiment file)');
    expect(message(['x.yaml', 'y.yaml'])).toBe('run: unexpected argument "y.yaml"');
  });

  it('writes help from the same spec', () => {
    expect(usageText(SPEC)).toBe(
      [
        'cardigan run — run an experiment',
        '',
        'Usage: cardigan run <experiment.yaml> [options]',
        '',
        '  <experiment.yaml>            the experiment file',
        '  -j, --jobs <value>           parallel cpu nodes (default: 2)',
        '  --only <value>               run only these nodes',
        '  --format <text|json>         output format',
        '  --set <id.params.key=value>  override a param (also id.seed=N, seed=N); the value is read as YAML; repeatable',
        '  --verbose                    print stack traces on errors',
      ].join('\n'),
    );
  });
});
