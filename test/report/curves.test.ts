import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ArtifactFolder } from '../../nodes/report/artifact-folder';
import { curvesHtml, timingsHtml } from '../../nodes/report/curves-section';
import { lastValue, parseTrainingLog } from '../../nodes/report/training-log';
import { FIXTURES } from './sources';

function svgOf(dataUri: string): string {
  return Buffer.from(dataUri.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');
}

function chartUris(html: string): string[] {
  return [...html.matchAll(/src="(data:image\/svg\+xml;base64,[^"]+)"/g)].map((m) => m[1]);
}

describe('training logs', () => {
  it("flattens the training loop's nested records and sorts fields into losses, validation and learning rates", async () => {
    const log = parseTrainingLog(await fs.readFile(path.join(FIXTURES, 'trainer/model/log.jsonl'), 'utf8'));
    expect(log.records).toHaveLength(3);
    expect(log.badLines).toEqual([4]);
    expect(log.x).toBe('epoch');
    expect(log.groups).toEqual({
      losses: ['losses.g_hinge', 'losses.g_feat', 'losses.d_real', 'losses.d_fake'],
      validation: [],
      learningRates: ['lrs.g', 'lrs.d'],
    });
    expect(lastValue(log, 'losses.g_feat')).toEqual({ x: 3, value: 6.1 });
  });

  it('reads flat logs, skipping blank lines, non-objects and nulls', async () => {
    const log = parseTrainingLog(await fs.readFile(path.join(FIXTURES, 'trainer-flat/log.jsonl'), 'utf8'));
    expect(log.records).toHaveLength(4);
    expect(log.badLines).toEqual([5]);
    expect(log.groups).toEqual({ losses: ['loss'], validation: ['val_dice'], learningRates: ['lr'] });
    // The last record has no number for `loss`: its last value is epoch 3's.
    expect(lastValue(log, 'loss')).toEqual({ x: 3, value: 0.4 });
  });

  it('numbers lines when the log has neither epoch nor step', () => {
    const log = parseTrainingLog('{"loss": 3}\n{"loss": 2}\n');
    expect(log.x).toBe('line');
    expect(log.records.map((r) => r.line)).toEqual([1, 2]);
  });
});

describe('training curves section', () => {
  it('draws losses (one panel each when their sizes differ tenfold) and the scheduled learning rates, with last and best values', async () => {
    const folder = await ArtifactFolder.read('model', path.join(FIXTURES, 'trainer/model'));
    const text = (await curvesHtml(folder.files[0])).text;
    const charts = chartUris(text).map(svgOf);
    expect(charts).toHaveLength(2);
    // g_feat (~7) and d_real (~0.5) differ more than tenfold: a facet per loss.
    expect(charts[0]).toContain('Losses');
    expect((charts[0].match(/class="mark-line role-mark/g) ?? []).length).toBe(4);
    expect(charts[1]).toContain('Learning rate');
    expect(text).toContain('<td><code>g_feat</code></td><td class="num">6.1</td><td class="num">3</td><td class="num">6.1 (epoch 3)</td>');
    expect(text).toContain('1 line(s) of <code>log.jsonl</code> could not be read (line 4)');
  });

  it('leaves out a learning rate that never changes, and puts validation scores on one chart', async () => {
    const folder = await ArtifactFolder.read('model', path.join(FIXTURES, 'trainer-flat'));
    const text = (await curvesHtml(folder.files[0])).text;
    const charts = chartUris(text).map(svgOf);
    expect(charts.map((svg) => ['Losses', 'Validation', 'Learning rate'].find((t) => svg.includes(`>${t}<`)))).toEqual(['Losses', 'Validation']);
    // Best validation Dice is the highest (epoch 3), not the last (epoch 4).
    expect(text).toContain('<td><code>val_dice</code></td><td class="num">0.69</td><td class="num">4</td><td class="num">0.71 (epoch 3)</td>');
  });

  it('sums the wall-clock timings kept beside the log under volatile/, and gives the median rate', async () => {
    const folder = await ArtifactFolder.read('model', path.join(FIXTURES, 'trainer/model'));
    const timings = folder.get('volatile/timings.jsonl');
    if (timings === undefined) throw new Error('fixture has no volatile/timings.jsonl');
    expect((await timingsHtml(timings)).text).toBe(
      '<p class="note">Wall clock (<code>volatile/timings.jsonl</code>, not part of the model\'s hash): 3 epoch(s) in 37 s, median 3.3 images/s.</p>',
    );
  });

  it('says so when a log has no epochs yet', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-log-'));
    try {
      await fs.writeFile(path.join(dir, 'log.jsonl'), '\n');
      const text = (await curvesHtml({ rel: 'log.jsonl', abs: path.join(dir, 'log.jsonl'), size: 1 })).text;
      expect(text).toBe('<p class="missing">No epochs logged yet in <code>log.jsonl</code>.</p>');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
