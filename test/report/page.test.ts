import { statSync } from 'fs';
import * as path from 'path';
import type { ReportSource } from '../../engine/run/report-source';
import { buildReport } from '../../nodes/report/build-report';
import { emptyFindings } from '../../nodes/report/findings';
import { nodeSectionHtml } from '../../nodes/report/node-section';
import { nodeAnchor } from '../../nodes/report/provenance';
import { resolvedExperiment } from '../rig/resolved-experiment';
import { cachedSource, FIXTURES, missingSource, runRecord } from './sources';

const file = '/experiments/paper.yaml';
const at = (folder: string) => path.join(FIXTURES, folder);

/** Every fixture folder as a node with results, plus three without: failed, blocked, never run. */
function fullSource(): ReportSource {
  const experiment = resolvedExperiment(file, [
    { id: 'vae', type: 'train-vae' },
    { id: 'filter', type: 'filter-degenerate-masks', inputs: { masks: ['vae.masks'] } },
    { id: 'aligned', type: 'align-mask-distribution', inputs: { masks: ['filter.masks'] } },
    { id: 'spade', type: 'train-spade' },
    { id: 'gap', type: 'umap', inputs: { datasets: ['filter.masks', 'aligned.masks'] } },
    { id: 'enet', type: 'train-enet', inputs: { train: ['aligned.masks'] } },
    { id: 'table1', type: 'evaluate', inputs: { models: ['enet.model'] } },
    { id: 'late', type: 'note' },
  ]);
  experiment.description = 'The <paper> pipeline';
  const [vae, filter, aligned, spade, gap, enet, table1, late] = experiment.nodes;
  late.description = '<script>alert(1)</script>';
  return {
    experiment,
    cacheRoot: '/cache',
    lastRun: runRecord(file),
    nodes: [
      missingSource(vae, { status: 'failed', error: 'NaN loss at epoch 3 <in decoder>', blockedBy: null, runId: 'run-9' }),
      cachedSource(filter, { report: at('filter') }),
      cachedSource(aligned, { report: at('alignment') }),
      cachedSource(spade, { model: at('trainer/model') }),
      cachedSource(gap, { embedding: at('umap/embedding') }),
      missingSource(enet, { status: 'blocked', error: null, blockedBy: ['vae'], runId: 'run-9' }, 'blocked'),
      cachedSource(table1, { metrics: at('evaluate') }),
      missingSource(late),
    ],
  };
}

function sectionOf(page: string, id: string): string {
  const start = page.indexOf(`<section class="node" id="${nodeAnchor(id)}">`);
  expect(start).toBeGreaterThan(0);
  return page.slice(start, page.indexOf('</section>', start));
}

describe('the report page', () => {
  let page: string;
  beforeAll(async () => {
    page = await buildReport(fullSource(), { generatedAt: new Date('2025-06-02T08:00:00Z') });
  });

  it("reads top to bottom: summary, Table 1, graph, nodes in the experiment's order, provenance", () => {
    const order = [
      'id="summary"',
      'id="table1"',
      'id="graph"',
      'id="nodes"',
      ...['vae', 'filter', 'aligned', 'spade', 'gap', 'enet', 'table1', 'late'].map((id) => `id="${nodeAnchor(id)}"`),
      'id="provenance"',
    ];
    const positions = order.map((marker) => page.indexOf(marker));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(page).toContain('report made 2025-06-02 08:00 UTC');
  });

  it('shows the experiment file and the cache relative to the working directory in its header', async () => {
    const header = (text: string): string => text.slice(text.indexOf('<header'), text.indexOf('</header>'));
    expect(header(await buildReport(fullSource(), { cwd: '/experiments' }))).toContain('<code>paper.yaml</code> · cache <code>../cache</code> · report made');
    expect(header(await buildReport(fullSource(), { cwd: '/' }))).toContain('<code>experiments/paper.yaml</code> · cache <code>cache</code> · report made');
    expect(header(page)).not.toContain('<code>/');
  });

  it('summarises the run, which nodes have results, Table 1 against the paper, the gap and the filter', () => {
    const summary = page.slice(page.indexOf('id="summary"'), page.indexOf('id="table1"'));
    expect(summary).toContain('<span class="outcome failed">failed</span>, finished 2025-06-01 12:10 UTC after 10 min 0 s; backend wasm');
    expect(summary).toMatch(
      /5 of 8 node\(s\) have results in the cache; <span class="failed-text">failed<\/span>: <a href="#node-vae"><code>vae<\/code><\/a>; not run yet: <a href="#node-enet"><code>enet<\/code><\/a>, <a href="#node-late"><code>late<\/code><\/a>/,
    );
    expect(summary).toContain('U-Net on CAMUS: Dice endo 0.921 (paper 0.937), Dice epi 0.952 (paper 0.957)');
    expect(summary).toContain('camusx vs camus: precision 0.91, recall 0.42, density 0.87, coverage 0.38');
    expect(summary).toContain('kept 2 of 4 masks (50.0 %)');
  });

  it('puts Table 1 at the top with the provenance of its numbers', () => {
    const table = page.slice(page.indexOf('id="table1"'), page.indexOf('id="graph"'));
    expect(table).toContain('<table class="table1">');
    expect(table).toContain(
      '<code>metrics/table1.csv</code> of node <a href="#node-table1"><code>table1</code></a> (evaluate v3) · key <code title="' +
        'ab'.repeat(32) +
        '">abababab',
    );
    expect(table).toContain('computed 2025-06-01 12:03 UTC on wasm in 3 min 30 s');
    // The node's own section points up instead of repeating it.
    expect(sectionOf(page, 'table1')).toContain('This node\'s Table 1 is shown <a href="#table1">at the top of the page</a>.');
    expect(sectionOf(page, 'table1')).toContain('<figcaption><code>examples.png</code></figcaption>');
  });

  it('shows the clinical indices after Table 1, computed from clinical.csv, with the patients left out and both plots', () => {
    const clinical = page.slice(page.indexOf('id="clinical"'), page.indexOf('id="graph"'));
    expect(page.indexOf('id="clinical"')).toBeGreaterThan(page.indexOf('id="table1"'));
    expect(page).toContain('<a href="#clinical">Clinical</a>');
    // enet on patients 0401 and 0402: EDV differences −5 and +4 mL.
    expect(clinical).toContain(
      '<td>EDV (mL)</td><td class="num">2</td><td class="num">1.000</td><td class="num">-0.5</td><td class="num">6.4</td><td class="num">-13.0 to 12.0</td><td class="num">4.5</td>',
    );
    expect(clinical).toContain('<li>patient0404 (ground truth): 2CH ES: no LV in the mask</li>');
    expect(clinical).toContain('<li>patient0403 (enet): 4CH ED: the LV does not touch the LA (no mitral base to measure from)</li>');
    expect(clinical).toContain('alt="Bland–Altman plots of EDV, ESV and EF for enet" src="data:image/svg+xml;base64,');
    expect(clinical).toContain('alt="EDV, ESV and EF of enet against the ground truth" src="data:image/svg+xml;base64,');
    expect(sectionOf(page, 'table1')).toContain('This node\'s clinical indices (EDV, ESV, EF) are shown <a href="#clinical">at the top of the page</a>.');
  });

  it("gives each node's results their section: curves, UMAP, reports with their pictures", () => {
    const spade = sectionOf(page, 'spade');
    expect(spade).toContain('<h4>Training curves</h4>');
    expect(spade).toContain('3 epoch(s) in 37 s, median 3.3 images/s');
    expect(spade).toContain('train-spade v3 · key');
    const gap = sectionOf(page, 'gap');
    expect(gap).toContain('<h4>UMAP of masks</h4>');
    expect(gap).toContain('class="umap3d"');
    const filter = sectionOf(page, 'filter');
    expect(filter).toContain('<h4>Degenerate-mask filter</h4>');
    expect(filter).toMatch(/<figure id="fig-filter_report_rejected-single-lv_png-[0-9a-f]{6}" class="picture">/);
    expect(filter).toMatch(/<a href="#fig-filter_report_rejected-single-lv_png-[0-9a-f]{6}">png<\/a>/);
    expect(sectionOf(page, 'aligned')).toContain('<h4>Mask distribution alignment</h4>');
  });

  it('says why a node has no results instead of failing', () => {
    expect(sectionOf(page, 'vae')).toContain(
      '<strong>Not run yet:</strong> it failed in the last run (<code>run-9</code>):</p><pre class="error">NaN loss at epoch 3 &lt;in decoder&gt;</pre>',
    );
    expect(sectionOf(page, 'enet')).toContain('in the last run it waited for <a href="#node-vae"><code>vae</code></a>, which failed.');
    expect(sectionOf(page, 'late')).toContain('<strong>Not run yet</strong> with its current params and inputs');
  });

  it('is one file that loads nothing: every picture a data URI, no external script, text from the cache escaped', () => {
    const sources = [...page.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter((s) => !s.startsWith('data:') && !s.startsWith('#'))).toEqual([]);
    expect(page).toContain('http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src data:;');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('The &lt;paper&gt; pipeline');
    // The 3-D viewer's scripts are inline: Zdog, then the viewer.
    expect(page).toMatch(/<script>\/\*![^]*Zdog[^]*<\/script><script>\s*\(function \(\) \{/);
  });

  it('says "not run yet" everywhere for an experiment the cache knows nothing of', async () => {
    const source = fullSource();
    const empty: ReportSource = { ...source, lastRun: null, nodes: source.nodes.map((n) => missingSource(n.node)) };
    const text = await buildReport(empty);
    expect(text).toContain('no <code>cardigan run</code> of this experiment is recorded in this cache');
    expect(text).toContain('0 of 8 node(s) have results in the cache');
    expect(text).toContain('<strong>Not run yet:</strong> <a href="#node-table1"><code>table1</code></a> (evaluate) has no results in the cache.');
    expect(text).not.toContain('<script>');
    expect(text.match(/<span class="badge missing">not run yet<\/span>/g)?.length).toBe(1 + 8 + 8);
  });

  it('shares one picture budget across the page: a node inlines only what is left of it', async () => {
    const filter = fullSource().nodes[1];
    const sizes = ['rejected-frontier-lv-background.png', 'rejected-single-lv.png'].map((name) => statSync(path.join(at('filter'), name)).size);
    const page = { bytes: sizes[0] + 5 };
    const text = (await nodeSectionHtml(filter, emptyFindings(), page)).text;
    expect([...text.matchAll(/<figcaption><code>([^<]+)<\/code>/g)].map((m) => m[1])).toEqual(['rejected-frontier-lv-background.png']);
    expect(text).toContain('<code>rejected-single-lv.png</code>');
    expect(page.bytes).toBe(5);
  });

  it('falls back to the Markdown table when table1.csv is missing', async () => {
    const source = fullSource();
    source.nodes[6] = cachedSource(source.nodes[6].node, { metrics: at('evaluate-md-only') });
    const text = await buildReport(source);
    const table = text.slice(text.indexOf('id="table1"'), text.indexOf('id="graph"'));
    expect(table).toContain('<p class="note">table1.csv is missing; showing the Markdown table instead.</p>');
    expect(table).toContain('<h4>Table 1: segmentation of camus.test (200 images)</h4>');
  });
});
