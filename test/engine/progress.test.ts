import type { RunEvent } from '../../engine/run/events';
import { createReporter } from '../../engine/cli/reporters';
import { formatSeconds } from '../../engine/cli/terminal-reporter';

const key = 'f'.repeat(64);

function collect(isTTY: boolean): { output: { write(text: string): boolean; isTTY: boolean; columns: number }; text(): string } {
  let text = '';
  return {
    output: {
      isTTY,
      columns: 100,
      write(chunk: string) {
        text += chunk;
        return true;
      },
    },
    text: () => text,
  };
}

const events: RunEvent[] = [
  { type: 'run-start', runId: 'r1', experiment: 'paper', file: '/x/paper.yaml', nodes: 4, selected: 4, cache: '/x/cache', jobs: 2, executor: 'inprocess' },
  { type: 'node-cached', node: 'camus', key },
  {
    type: 'backend',
    backend: { name: 'wasm', kind: 'wasm', detail: 'WebAssembly, 1 thread', requested: 'auto', skipped: ['tensorflow: tfjs-node is not installed'] },
  },
  { type: 'node-start', node: 'unet', key, checkpoint: true },
  { type: 'node-progress', node: 'unet', done: 3, total: 4, unit: 'epoch', message: 'loss 0.12' },
  { type: 'node-log', node: 'unet', message: 'saved checkpoint' },
  { type: 'node-done', node: 'unet', key, seconds: 75.5, outputs: { model: key } },
  { type: 'node-failed', node: 'enet', key, seconds: 0.25, error: 'NaN loss at epoch 2\nstack...' },
  { type: 'node-blocked', node: 'table1', by: ['enet'] },
  {
    type: 'run-end',
    runId: 'r1',
    outcome: 'failed',
    exitCode: 1,
    seconds: 76,
    record: '/x/cache/runs/r1/run.json',
    nodes: [
      { node: 'camus', status: 'cached', key, seconds: null, detail: null },
      { node: 'unet', status: 'done', key, seconds: 75.5, detail: 'resumed from checkpoint' },
      { node: 'enet', status: 'failed', key, seconds: 0.25, detail: 'NaN loss at epoch 2\nstack...' },
      { node: 'table1', status: 'blocked', key: null, seconds: null, detail: 'needs enet' },
    ],
  },
];

test('plain lines when the output is not a terminal: one per state change, progress as text, a summary table', () => {
  const sink = collect(false);
  const reporter = createReporter({ json: false, output: sink.output });
  for (const event of events) reporter.report(event);
  reporter.close();
  expect(sink.text()).toBe(
    [
      'cardigan: paper — 4 of 4 nodes selected, 2 jobs, cache /x/cache',
      '  cached               camus  ffffffffff',
      'backend: wasm (WebAssembly, 1 thread)',
      '  skipped tensorflow: tfjs-node is not installed',
      '  running              unet  resuming from checkpoint',
      '  progress             unet  3/4 epoch  loss 0.12',
      '  [unet] saved checkpoint',
      '  done          1m15s  unet  ffffffffff',
      '  failed         0.3s  enet  NaN loss at epoch 2',
      '  blocked              table1  needs enet',
      'summary: 1 done, 1 cached, 1 failed, 1 blocked in 1m16s',
      '  node    status          time  key         detail',
      '  unet    done           1m15s  ffffffffff  resumed from checkpoint',
      '  enet    failed          0.3s  ffffffffff  NaN loss at epoch 2',
      '  table1  blocked                           needs enet',
      'run record: /x/cache/runs/r1/run.json',
      '',
    ].join('\n'),
  );
});

test('on a terminal, running nodes get a live footer with elapsed time and a progress bar, cleared when they end', () => {
  const sink = collect(true);
  const reporter = createReporter({ json: false, output: sink.output });
  reporter.report({ type: 'node-start', node: 'unet', key, checkpoint: false });
  reporter.report({ type: 'node-progress', node: 'unet', done: 5, total: 10, unit: 'epoch' });
  expect(sink.text()).toContain('  running        0.0s  unet  ▕██████████░░░░░░░░░░▏ 5/10 epoch\n');
  reporter.report({ type: 'node-done', node: 'unet', key, seconds: 1, outputs: {} });
  reporter.close();
  // Every footer drawn was erased (cursor up + clear line) before the next permanent line.
  const text = sink.text();
  const drawn = text.split('\n').filter((line) => line.includes('▕') || line.startsWith('  running')).length;
  expect(text.split('\x1b[1A\x1b[2K').length - 1).toBe(drawn);
  expect(text.endsWith('  done           1.0s  unet  ffffffffff\n')).toBe(true);
});

test('--json prints one parseable event per line with a time', () => {
  const sink = collect(false);
  const reporter = createReporter({ json: true, output: sink.output });
  for (const event of events) reporter.report(event);
  const lines = sink.text().trim().split('\n');
  expect(lines).toHaveLength(events.length);
  const parsed = lines.map((line) => JSON.parse(line) as RunEvent & { time: string });
  expect(parsed.map(({ time: _time, ...event }) => event)).toEqual(events);
  expect(parsed.every((event) => !Number.isNaN(Date.parse(event.time)))).toBe(true);
});

test.each([
  [0.04, '0.0s'],
  [59.94, '59.9s'],
  [61, '1m01s'],
  [3725, '1h02m'],
])('formatSeconds(%d) = %s', (seconds, text) => {
  expect(formatSeconds(seconds)).toBe(text);
});
