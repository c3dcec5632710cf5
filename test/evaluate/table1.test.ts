import { readFileSync } from 'fs';
import * as path from 'path';
import type { EvaluationSummary } from '../../nodes/evaluate/summary';
import { table1Csv, table1Markdown } from '../../nodes/evaluate/table1';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

/**
 * Table 1 rendered from hand-made summary.json fixtures, compared word for word with the reviewed
 * golden files beside them (regenerate only after reading the diff). The fixture lists a model the
 * paper lacks first, to pin the paper's row order, and one with empty endo predictions.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'evaluate');

function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

describe.each([
  ['summary.json', 'table1'],
  ['summary-spade.json', 'table1-spade'],
])('Table 1 from %s', (summaryFile, golden) => {
  const summary = JSON.parse(fixture(summaryFile)) as EvaluationSummary;

  it('renders the golden Markdown', () => {
    expect(table1Markdown(summary)).toBe(fixture(`${golden}.md`));
  });

  it('renders the golden CSV', () => {
    expect(table1Csv(summary)).toBe(fixture(`${golden}.csv`));
  });

  it('puts in the CSV exactly the summary numbers, one line per model and group (read back by Python)', () => {
    const script = `
import csv, io, json, sys
rows = list(csv.DictReader(io.StringIO(sys.stdin.read())))
print(json.dumps(rows))
`;
    const rows = JSON.parse(references.run(script, [], { stdin: table1Csv(summary) })) as Record<string, string>[];
    for (const model of summary.models) {
      for (const [group, values] of Object.entries(model.groups)) {
        const line = rows.find((row) => row.model_id === model.id && row.phase === group);
        expect(line).toBeDefined();
        expect(Number(line?.images)).toBe(values.images);
        expect(Number(line?.hd_epi)).toBe(values.metrics.epi.hd.mean);
        expect(Number(line?.assd_endo_std)).toBe(values.metrics.endo.assd.std);
        expect(Number(line?.empty_endo)).toBe(values.metrics.endo.hd.nan);
        expect(Number(line?.valid_fraction)).toBe(values.valid.fraction);
      }
      const paper = rows.find((row) => row.model_id === model.id && row.phase === 'paper');
      expect(paper === undefined ? null : Number(paper.dice_endo)).toBe(model.paper?.values.dice.endo ?? null);
    }
  });
});

describe('Table 1 over seeds (summary-seeds.json: CAMUS and CAMUS++ U-Nets with 3 seeds each, and a single model)', () => {
  const summary = JSON.parse(fixture('summary-seeds.json')) as EvaluationSummary;

  it('renders the golden Markdown and CSV', () => {
    expect(table1Markdown(summary)).toBe(fixture('table1-seeds.md'));
    expect(table1Csv(summary)).toBe(fixture('table1-seeds.csv'));
  });

  it('gives each seeded row the mean and sample std (Python statistics) of its per-seed means, and keeps the single model per image', () => {
    const script = `
import csv, io, json, statistics, sys
summary = json.loads(sys.argv[1])
rows = list(csv.DictReader(io.StringIO(sys.stdin.read())))
out = []
for dataset in ['CAMUS', 'CAMUS++']:
    members = [m for m in summary['models'] if m['dataset'] == dataset]
    for phase in ['ED', 'ES', 'all']:
        means = [m['groups'][phase]['metrics']['epi']['hd']['mean'] for m in members]
        line = next(r for r in rows if r['dataset'] == dataset and r['phase'] == phase)
        out.append([float(line['hd_epi']) - statistics.mean(means), float(line['hd_epi_std']) - statistics.stdev(means), int(line['seeds']), line['model_id'].split(' ') == [m['id'] for m in members]])
print(json.dumps(out))
`;
    const checks = JSON.parse(references.run(script, [JSON.stringify(summary)], { stdin: table1Csv(summary) })) as [number, number, number, boolean][];
    expect(checks).toHaveLength(6);
    for (const [meanError, stdError, seeds, ids] of checks) {
      expect(Math.abs(meanError)).toBeLessThan(1e-12);
      expect(Math.abs(stdError)).toBeLessThan(1e-12);
      expect([seeds, ids]).toEqual([3, true]);
    }
    expect(table1Csv(summary)).toContain('mine,U-Net,unet[train=mine],all,200,1,0.9,0.021,');
  });
});

describe('Table 1 with hausdorff: hd95', () => {
  const summary = { ...(JSON.parse(fixture('summary.json')) as EvaluationSummary), hausdorff: 'hd95' as const };
  const markdown = table1Markdown(summary);

  it('titles the column HD95, never HD, and leaves the paper (a maximum) out of it', () => {
    expect(markdown).toContain('| Dice la | HD95 endo (mm) | HD95 epi (mm) | HD95 la (mm) | ASSD endo (mm) |');
    expect(markdown).not.toContain('| HD endo (mm)');
    expect(markdown).toContain('|  |  | *paper* |  | 0.937 | 0.957 |  |  |  |  | 1.4 | 1.5 |  |  |  |  |  |');
    expect(markdown).toContain(
      '- HD95: the 95th percentile of the surface distances of both directions (MedPy hd95), not the maximum Hausdorff distance the paper and CAMUS report; the paper lines leave it blank.',
    );
    expect(table1Csv(summary).split('\n')[0]).toContain(',hd95_endo,hd95_endo_std,');
  });

  it('shows each model per phase and per view', () => {
    expect(markdown).toMatch(
      /\| CAMUS \| U-Net \| ED \| 100 \|.*\n\| {2}\| {2}\| ES \| 100 \|.*\n\| {2}\| {2}\| 2CH \| 100 \|.*\n\| {2}\| {2}\| 4CH \| 100 \|.*\n\| {2}\| {2}\| all \| 200 \|/,
    );
  });
});
