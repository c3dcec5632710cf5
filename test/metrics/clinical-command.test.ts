import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Label } from '../../nodes/data/label-mask';
import { encodeNpy } from '../../nodes/data/npy';
import { cardigan } from '../rig/cli';
import { halfEllipseHeart, halfEllipsoidVolume } from '../rig/half-ellipse-heart';

/** `cardigan metrics --2ch-ed … --4ch-es …`: one patient's EDV, ESV and EF from four mask files. */

const ROWS = 600;
const COLS = 480;
let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'metrics-clinical-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function maskFile(name: string, length: number, halfWidth: number, spacing: [number, number], edit: (l: number) => number = (l) => l): Promise<string> {
  const file = path.join(dir, `${name}.npy`);
  const labels = halfEllipseHeart({ rows: ROWS, cols: COLS, spacing, length, halfWidth, tilt: 0.2 }).map(edit);
  await fs.writeFile(file, encodeNpy(labels, [ROWS, COLS]));
  return file;
}

async function patient(edit: (l: number) => number = (l) => l): Promise<string[]> {
  const s2: [number, number] = [0.3, 0.3];
  const s4: [number, number] = [0.25, 0.3];
  return [
    '--2ch-ed',
    await maskFile('2ch_ed', 80, 24, s2),
    '--2ch-es',
    await maskFile('2ch_es', 70, 17, s2),
    '--4ch-ed',
    await maskFile('4ch_ed', 80, 26, s4),
    '--4ch-es',
    await maskFile('4ch_es', 70, 18, s4, edit),
    '--spacing-2ch',
    '0.3,0.3',
    '--spacing-4ch',
    '0.25,0.3',
  ];
}

describe('cardigan metrics: clinical indices from four mask files', () => {
  it('prints EDV, ESV and EF within 1 % of the closed-form half-ellipsoids', async () => {
    const result = await cardigan('metrics', ...(await patient()), '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      edv: number;
      esv: number;
      ef: number;
      discs: number;
      views: Record<string, { spacing: number[]; length: number }>;
    };
    const edv = halfEllipsoidVolume(80, 24, 26);
    const esv = halfEllipsoidVolume(70, 17, 18);
    expect(Math.abs(report.edv - edv) / edv).toBeLessThan(0.01);
    expect(Math.abs(report.esv - esv) / esv).toBeLessThan(0.01);
    expect(Math.abs(report.ef - (100 * (edv - esv)) / edv)).toBeLessThan(1);
    expect(report.discs).toBe(20);
    expect(report.views['4CH_ES'].spacing).toEqual([0.25, 0.3]);
  });

  it('prints a table by default', async () => {
    const result = await cardigan('metrics', ...(await patient()));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^view {3}long axis \(mm\) {2}spacing \(mm\) {6}file\n2CH ED /);
    expect(result.stdout).toMatch(/\nEDV \d+\.\d\d mL\nESV \d+\.\d\d mL\nEF {2}\d+\.\d\d %\n/);
  });

  it('says which mask has no LV (exit 1)', async () => {
    const result = await cardigan('metrics', ...(await patient((l) => (l === Label.lv ? Label.myocardium : l))));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('error: metrics: no clinical indices for these masks: 4CH ES: no LV in the mask\n');
  });

  it('asks for the spacing when a file does not record it, and for all four files (exit 2)', async () => {
    const files = (await patient()).slice(0, 8);
    const noSpacing = await cardigan('metrics', ...files);
    expect(noSpacing.code).toBe(2);
    expect(noSpacing.stderr).toContain(
      `error: metrics: ${files[1]} (2CH ED) does not record its pixel spacing; give it with --spacing r,c in mm, or per view with --spacing-2ch r,c\n`,
    );
    const three = await cardigan('metrics', ...files.slice(0, 6), '--spacing', '0.3,0.3');
    expect(three.code).toBe(2);
    expect(three.stderr).toContain('error: metrics: the clinical indices need all four masks of the patient; missing --4ch-es\n');
    const both = await cardigan('metrics', files[1], ...files);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error: metrics: give either <pred> <gt> or the four --2ch-ed, --2ch-es, --4ch-ed, --4ch-es files, not both\n');
  });
});
