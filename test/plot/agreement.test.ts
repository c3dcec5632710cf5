import { blandAltmanChart, identityScatterChart, renderSvg, type AgreementPanel } from '../../nodes/plot';

/** aria-labels vega writes on each drawn mark of a role (as in specs.test.ts). */
function markLabels(svg: string, role: string): string[] {
  return [...svg.matchAll(new RegExp(`<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${role}"`, 'g'))].map((m) => m[1]);
}

const pairs = [
  { patient: 'p1', reference: 100, predicted: 104 },
  { patient: 'p2', reference: 150, predicted: 146 },
  { patient: 'p3', reference: 80, predicted: 83 },
];
const panels: AgreementPanel[] = [
  { title: 'EDV', unit: 'mL', pairs, bias: 1, loa: [-6.2, 8.2] },
  { title: 'EF', unit: '%', pairs, bias: 1, loa: null },
];

describe('agreement charts', () => {
  it('Bland–Altman: one point per patient at (mean, difference) and the bias and limit lines, labelled', async () => {
    const svg = await renderSvg(blandAltmanChart(panels, 'Bland–Altman: U-Net'));
    const circles = markLabels(svg, 'circle');
    expect(circles).toHaveLength(6);
    expect(circles[0]).toBe('mean of model and reference (mL): 102; model − reference (mL): 4; patient: p1');
    expect(svg).toContain('bias 1.0');
    expect(svg).toContain('+1.96 SD 8.2');
    expect(svg).toContain('−1.96 SD -6.2');
    // Three rules in the panel with limits, one (the bias) where the limits are unknown.
    expect(svg.match(/aria-roledescription="rule mark"/g)).toHaveLength(4);
    expect(svg).toContain('model − reference (mL)');
  });

  it('model against reference: one point per patient and the identity line on equal axes', async () => {
    const svg = await renderSvg(identityScatterChart(panels.slice(0, 1), 'U-Net against the ground truth'));
    expect(markLabels(svg, 'circle')).toEqual([
      'reference (mL): 100; model (mL): 104; patient: p1',
      'reference (mL): 150; model (mL): 146; patient: p2',
      'reference (mL): 80; model (mL): 83; patient: p3',
    ]);
    expect(svg).toContain('aria-roledescription="line mark"');
    expect(svg).toContain('reference (mL)');
  });
});
