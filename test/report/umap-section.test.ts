import * as path from 'path';
import { ArtifactFolder } from '../../nodes/report/artifact-folder';
import { readGapReport, umapHtml, viewerData } from '../../nodes/report/umap-section';
import { FIXTURES } from './sources';

describe('UMAP section', () => {
  it('shows the gap metrics, the SVG scatter (not its PNG twin) and a 3-D view of the coordinates', async () => {
    const folder = await ArtifactFolder.read('embedding', path.join(FIXTURES, 'umap/embedding'));
    const { body, report } = await umapHtml(folder, 'masks', 'umap3d-test');
    expect(report).toEqual({
      features: 'masks',
      dimensions: 16384,
      downsample: 64,
      reference: 'camus',
      k: 5,
      comparisons: [{ dataset: 'camusx', precision: 0.91, recall: 0.42, density: 0.87, coverage: 0.38 }],
      trustworthiness: 0.934,
    });
    const text = body.text;
    expect(text).toContain('<p class="note">64×64 · 16384 dimensions · k = 5 · trustworthiness 0.934</p>');
    expect(text).toContain(
      '<th scope="row">camusx</th><td class="num">0.910</td><td class="num">0.420</td><td class="num">0.870</td><td class="num">0.380</td>',
    );
    expect(text).toContain('src="data:image/svg+xml;base64,');
    expect(text).not.toContain('data:image/png');
    expect(text).toContain('<canvas class="umap3d" width="440" height="400" data-source="umap3d-test"');
    expect(text).toContain('<script type="application/json" id="umap3d-test">');
    // Both pictures are accounted for; data files are left for the file list.
    expect(folder.unclaimed().map((f) => f.rel)).toEqual(['embedding.json', 'masks/coordinates.csv']);
  });

  it('scales the 3-D points into -1..1 around their centre, keeping the aspect, groups in order of appearance', () => {
    const data = viewerData('dataset,id,umap1,umap2,umap3\nreal,a,0,0,0\nreal,b,4,2,1\nfake,c,2,1,0\n');
    expect(data).toEqual({
      groups: ['real', 'fake'],
      colours: ['#4c78a8', '#f58518'],
      points: [
        [-1, -0.5, -0.25, 0],
        [1, 0.5, 0.25, 0],
        [0, 0, -0.25, 1],
      ],
    });
  });

  it("colours the reference first, as the scatter's legend does, wherever its rows are", () => {
    const data = viewerData('dataset,id,umap1,umap2,umap3\nfake,a,0,0,0\nreal,b,1,1,1\n', 'real');
    expect(data?.groups).toEqual(['real', 'fake']);
    expect(data?.points.map((p) => p[3])).toEqual([1, 0]);
  });

  it('draws at most the given number of points, evenly through the file, and nothing for 2-D coordinates', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `s,${i},${i},0,0`).join('\n');
    const data = viewerData(`dataset,id,umap1,umap2,umap3\n${rows}\n`, undefined, 4);
    // Rows 0, 2, 5 and 7, scaled over their own range 0..7.
    expect(data?.points.map((p) => p[0])).toEqual([-1, -0.4286, 0.4286, 1]);
    expect(viewerData('dataset,id,umap1,umap2\nreal,a,0,1\n')).toBeUndefined();
  });

  it('reads what it can of an unexpected gap-metrics.json', () => {
    expect(readGapReport('{"features": "images", "comparisons": [{"dataset": "x", "recall": "high"}], "trustworthiness": 0.5}')).toEqual({
      features: 'images',
      dimensions: null,
      downsample: null,
      reference: '?',
      k: null,
      comparisons: [{ dataset: 'x', precision: null, recall: null, density: null, coverage: null }],
      trustworthiness: 0.5,
    });
  });
});
