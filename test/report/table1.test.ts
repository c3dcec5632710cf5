import { promises as fs } from 'fs';
import * as path from 'path';
import { headlineLines, table1Html } from '../../nodes/report/table1-section';
import { readTable1Csv } from '../../nodes/report/table1-read';
import { FIXTURES } from './sources';

const read = async (folder: string) => readTable1Csv(await fs.readFile(path.join(FIXTURES, folder, 'table1.csv'), 'utf8'));

describe('Table 1 from table1.csv', () => {
  it("reads the evaluate node's columns: metrics with their std, phases, the paper's lines", async () => {
    const table = await read('evaluate');
    expect(table.problems).toEqual([]);
    expect(table.metrics.map((m) => `${m.key}|${m.stdKey ?? ''}`)).toEqual([
      'dice_endo|dice_endo_std',
      'dice_epi|dice_epi_std',
      'hd_endo|hd_endo_std',
      'hd_epi|hd_epi_std',
      'assd_endo|assd_endo_std',
      'assd_epi|assd_epi_std',
    ]);
    expect(table.other).toEqual([]);
    expect(table.rows.map((r) => `${r.dataset}/${r.model}/${r.phase}/${r.paper}`)).toEqual([
      'CAMUS/U-Net/ED/false',
      'CAMUS/U-Net/ES/false',
      'CAMUS/U-Net/all/false',
      'CAMUS/U-Net/paper/true',
      'CAMUSx/ENet/ED/false',
      'CAMUSx/ENet/ES/false',
      'CAMUSx/ENet/all/false',
      'CAMUSx/ENet/paper/true',
      'Wei et al. [6]//paper/true',
    ]);
    const all = table.rows[2];
    expect(all.values.dice_endo).toEqual({ mean: 0.92095, std: 0.0281 });
    expect(all.images).toBe(200);
    expect(all.valid).toBe(0.96);
    expect(table.rows[3].values.hd_endo).toEqual({ mean: 5, std: null });
    expect(table.rows[3].images).toBeNull();
  });

  it('finds columns by name in any order, keeps unknown ones, and reports cells that are not numbers', () => {
    const csv = 'Phase,notes,Model,dataset,HD_endo,dice_endo,extra_score\nall,first,U-Net,CAMUS,5.5,0.9,x\npaper,,U-Net,CAMUS,n/a,0.937,\n';
    const table = readTable1Csv(csv, 'out/table1.csv');
    expect(table.metrics.map((m) => m.key)).toEqual(['hd_endo', 'dice_endo']);
    expect(table.metrics.every((m) => m.stdKey === undefined)).toBe(true);
    expect(table.other).toEqual(['notes', 'extra_score']);
    expect(table.rows[0].values).toEqual({ hd_endo: { mean: 5.5, std: null }, dice_endo: { mean: 0.9, std: null } });
    expect(table.rows[0].other).toEqual({ notes: 'first', extra_score: 'x' });
    expect(table.rows[1].values.hd_endo.mean).toBeNull();
    expect(table.problems).toEqual(['out/table1.csv line 3: hd_endo is "n/a", not a number']);
  });

  it('says what is wrong with a file that has no table in it', () => {
    expect(readTable1Csv('', 'x.csv').problems).toEqual(['x.csv is empty']);
    expect(readTable1Csv('a,b\n1,2\n', 'x.csv').problems).toEqual(['x.csv: no metric columns (expected names like dice_endo, hd_epi)']);
    expect(readTable1Csv('a,"b\n1,2\n', 'x.csv').problems[0]).toMatch(/^x\.csv: not readable as CSV \(/);
  });

  it("renders one block per model, ours as mean ± std, the paper's in italics beneath as printed", async () => {
    const text = table1Html(await read('evaluate')).text;
    expect(text.match(/<tbody>/g)).toHaveLength(3);
    expect(text).toContain('<th colspan="2" title="higher is better">Dice ↑</th>');
    expect(text).toContain('<th colspan="2" title="lower is better">HD (mm) ↓</th>');
    expect(text).toContain('<th scope="rowgroup" rowspan="4">CAMUS</th>');
    expect(text).toContain('<td class="num">0.921 ± 0.028</td>');
    expect(text).toContain('<td class="num">5.62 ± 2.14</td>');
    expect(text).toMatch(
      /<tr class="paper"><td>paper<\/td><td class="num"><\/td><td class="num">0\.937<\/td><td class="num">0\.957<\/td><td class="num">5\.0<\/td>/,
    );
    expect(text).toContain('<td class="num">96.0 %</td>');
    // The model's node id links to its section.
    expect(text).toContain('<a href="#node-unet_train_camus_-');
    // The published comparison has no model and no link.
    expect(text).toContain('<th scope="rowgroup" rowspan="1">Wei et al. [6]</th><td rowspan="1"></td>');
  });

  it("adds the spade protocol's mIoU and pixel accuracy columns", async () => {
    const table = await read('evaluate-spade');
    expect(table.scores).toEqual(['miou', 'pixel_accuracy']);
    const text = table1Html(table).text;
    expect(text).toContain('<th rowspan="2">mIoU</th><th rowspan="2">Pixel acc.</th>');
    expect(text).toContain('<td class="num">0.812</td><td class="num">0.951</td>');
  });

  it("summarises each model's `all` line beside the paper's numbers", async () => {
    expect(headlineLines(await read('evaluate'))).toEqual([
      'U-Net on CAMUS: Dice endo 0.921 (paper 0.937), Dice epi 0.952 (paper 0.957)',
      'ENet on CAMUSx: Dice endo 0.786 (paper 0.732), Dice epi 0.842 (paper 0.800)',
    ]);
    expect(headlineLines(await read('evaluate-spade'))).toEqual(['U-Net on camus: Dice endo 0.880, Dice epi 0.910']);
  });
});

describe("Table 1 over seeds (evaluate's table1-seeds.csv)", () => {
  it('reads the seeds column as known and links every seed of a row to its node', async () => {
    const file = path.join(__dirname, '..', 'fixtures', 'evaluate', 'table1-seeds.csv');
    const table = readTable1Csv(await fs.readFile(file, 'utf8'));
    expect(table.problems).toEqual([]);
    expect(table.other).toEqual([]);
    const page = String(table1Html(table));
    for (const seed of [1, 2, 3]) expect(page).toContain(`unet[train=camuspp,seed=${seed}]`);
    expect(page).not.toContain('unet[train=camus,seed=1] unet');
  });
});
