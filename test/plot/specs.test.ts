import { histogramGrid, overlaidHistograms, pairwiseProjections, renderSvg, scatterByGroup, seriesFromLog, trainingCurves } from '../../nodes/plot';

/** aria-labels vega writes on each drawn mark of a role, e.g. every circle of a scatter. */
function markLabels(svg: string, role: string): string[] {
  return [...svg.matchAll(new RegExp(`<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="${role}"`, 'g'))].map((m) => m[1]);
}

describe('scatter specs', () => {
  const points = { coordinates: [0, 0, 0, 1, 1, 1, 2, 0, 1, 3, 3, 3], dims: 3, groups: ['real', 'real', 'generated', 'real'] };

  test('a 2-D scatter draws one circle per point, coloured in the given group order', async () => {
    const svg = await renderSvg(scatterByGroup({ ...points, groupOrder: ['generated', 'real'], axisNames: ['UMAP 1', 'UMAP 2', 'UMAP 3'] }));
    const circles = markLabels(svg, 'circle');
    expect(circles).toHaveLength(4);
    expect(circles[2]).toBe('UMAP 1: 2; UMAP 2: 0; group: generated');
    // The first group of the order takes the palette's first colour.
    expect(svg).toMatch(/group: generated" role="graphics-symbol" aria-roledescription="circle" transform="[^"]*" d="[^"]*" fill="#4c78a8"/);
    expect(svg).toContain('Symbol legend for fill color with 2 values: generated, real');
  });

  test('3-D points become the three pairwise projections', async () => {
    const svg = await renderSvg(pairwiseProjections({ ...points, axisNames: ['a', 'b', 'c'] }));
    const circles = markLabels(svg, 'circle');
    expect(circles).toHaveLength(12);
    expect(circles).toContain('a: 3; b: 3; group: real');
    expect(circles).toContain('a: 2; c: 1; group: generated');
    expect(circles).toContain('b: 0; c: 1; group: generated');
  });

  test('refuses points that do not fit their dimensions', () => {
    expect(() => pairwiseProjections({ ...points, dims: 2 })).toThrow('need 3 dimensions, got 2');
    expect(() => scatterByGroup({ ...points, groups: ['real'] })).toThrow('scatter: 1 groups but 4 points of 3 dimensions');
  });
});

describe('training curves', () => {
  const log = [
    { epoch: 1, loss: 2, valDice: 0.5 },
    { epoch: 2, loss: Number.NaN },
    { epoch: 3, loss: 0.5, valDice: 0.8 },
  ];

  test('series from log records skip missing and non-finite values', () => {
    expect(seriesFromLog(log, ['loss', 'valDice'], { prefix: 'unet' })).toEqual([
      {
        name: 'unet loss',
        points: [
          [1, 2],
          [3, 0.5],
        ],
      },
      {
        name: 'unet valDice',
        points: [
          [1, 0.5],
          [3, 0.8],
        ],
      },
    ]);
  });

  test('one line per series, overlaid or in panels', async () => {
    const series = seriesFromLog(log, ['loss', 'valDice']);
    for (const separatePanels of [false, true]) {
      const svg = await renderSvg(trainingCurves(series, { title: 'U-Net', separatePanels }));
      expect(markLabels(svg, 'line mark').map((label) => label.split('; ').pop())).toEqual(['series: loss', 'series: valDice']);
      expect(svg).toContain("Title text 'U-Net'");
    }
  });

  test('refuses two series of one name', () => {
    expect(() =>
      trainingCurves([
        { name: 'loss', points: [] },
        { name: 'loss', points: [] },
      ]),
    ).toThrow('duplicate series names in loss, loss');
  });
});

describe('overlaid histograms', () => {
  test('bins every group over shared edges; shares sum to 1 per group', async () => {
    const svg = await renderSvg(
      overlaidHistograms(
        [
          { name: 'before', values: [0.1, 0.1, 0.1, 0.9] },
          { name: 'after', values: [0.9, 0.9, Number.NaN] },
        ],
        { xTitle: 'Dice', maxBins: 2, normalise: true },
      ),
    );
    const bars = markLabels(svg, 'bar');
    expect(bars).toEqual([
      'Dice: 0 – 0.5; share of group: 0.75; group: before',
      'Dice: 0.5 – 1; share of group: 0.25; group: before',
      'Dice: 0.5 – 1; share of group: 1; group: after',
    ]);
  });

  test('a grid of panels, each binned on its own axis, with one legend and the given colours', async () => {
    const panel = (title: string, offset: number) => ({
      title,
      groups: [
        { name: 'reference', values: [offset, offset + 1] },
        { name: 'after', values: [offset + 1, offset + 1] },
      ],
    });
    const svg = await renderSvg(
      histogramGrid([panel('area', 0), panel('angle', 100)], { columns: 2, maxBins: 2, normalise: true, colours: ['#5a5a5a', '#1f77b4'] }),
    );
    expect(svg).toContain("Title text 'area'");
    expect(svg).toContain("Title text 'angle'");
    expect(svg.match(/legend for fill color/g)).toHaveLength(1);
    const bars = markLabels(svg, 'bar');
    expect(bars).toContain('angle: 100.5 – 101; share of group: 1; group: after');
    expect(bars).toContain('area: 0 – 0.5; share of group: 0.5; group: reference');
    expect(svg).toMatch(/fill="#5a5a5a"/);
    expect(svg).toMatch(/fill="#1f77b4"/);
  });
});
