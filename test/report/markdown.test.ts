import * as path from 'path';
import { ArtifactFolder } from '../../nodes/report/artifact-folder';
import { renderMarkdownFile } from '../../nodes/report/markdown';
import { FIXTURES } from './sources';

const targets = { figureId: (rel: string) => `fig-${rel.replace(/\W/g, '_')}`, headingShift: 3 };

describe('node Markdown in the page', () => {
  it('inlines the pictures it embeds, links pictures to their figures, and unlinks other files', async () => {
    const folder = await ArtifactFolder.read('report', path.join(FIXTURES, 'alignment'));
    const text = (await renderMarkdownFile(folder, 'alignment.md', targets)).text;
    expect(text).toContain('<h4>Mask distribution alignment</h4>');
    expect(text).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" alt="histograms">/);
    expect(text).toContain('<td>lvArea (LV area)</td>\n<td style="text-align:right">0.0123</td>');
    // Raw HTML in the Markdown stays text.
    expect(text).toContain('&lt;b&gt;not bold&lt;/b&gt;');
    expect(text).toContain('<span class="file-ref" title="targets.json in the node\'s output">the targets</span>');
    expect(text).toContain('<a href="#fig-histograms_png">the raw picture</a>');
    expect(folder.isClaimed(folder.get('histograms.png')!)).toBe(true);
    expect(folder.isClaimed(folder.get('targets.json')!)).toBe(false);
  });

  it("links the filter report's example pictures to where the page shows them", async () => {
    const folder = await ArtifactFolder.read('report', path.join(FIXTURES, 'filter'));
    const text = (await renderMarkdownFile(folder, 'report.md', targets)).text;
    expect(text).toContain('<h4>Degenerate-mask filter</h4>');
    expect(text).toContain('<a href="#fig-rejected_single_lv_png">png</a>');
    // Linked, not embedded: the gallery still shows them.
    expect(folder.unclaimed().map((f) => f.rel)).toContain('rejected-single-lv.png');
  });

  it('replaces a picture that is not in the folder by its description, fetching nothing', async () => {
    const dir = await import('fs').then((fs) => fs.promises.mkdtemp(path.join(require('os').tmpdir(), 'cardigan-md-')));
    await require('fs').promises.writeFile(path.join(dir, 'x.md'), '# T\n\n![a chart](chart.png) ![remote](https://example.org/x.png)\n');
    const folder = await ArtifactFolder.read('report', dir);
    const text = (await renderMarkdownFile(folder, 'x.md', { ...targets, headingShift: 5 })).text;
    expect(text).toContain('<h6>T</h6>');
    expect(text).toContain('[a chart]');
    expect(text).not.toContain('chart.png"');
    await require('fs').promises.rm(dir, { recursive: true, force: true });
  });
});
