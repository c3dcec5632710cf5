import { promises as fs } from 'fs';
import * as path from 'path';
import { describeWrittenReport, type ReportBuilder, writeReport } from '../../engine/run/report-output';
import { pageStamp } from '../../engine/run/report-stamp';
import { makeEngineRig, type EngineRig } from '../rig/engine-rig';
import { runtimeRegistry } from '../rig/runtime-nodes';

/** A registry and a report builder that counts its pages, to see when a page is drawn again. */
function countingRegistry(): { registry: ReturnType<typeof runtimeRegistry>; build: ReportBuilder; builds: () => number } {
  const registry = runtimeRegistry();
  let builds = 0;
  const build: ReportBuilder = async (source) => {
    builds++;
    return `<!DOCTYPE html><html><body>${source.nodes.map((n) => `${n.node.id} ${n.state}`).join(', ')}</body></html>\n`;
  };
  return { registry, build, builds: () => builds };
}

describe('a report whose inputs have not changed', () => {
  let rig: EngineRig;
  beforeEach(async () => {
    rig = await makeEngineRig();
  });
  afterEach(() => rig.remove());

  const nodes = (tag: string) => [
    { id: 'a', type: 't-emit', params: { value: 'A' } },
    { id: 'b', type: 't-join', params: { tag }, inputs: { in: ['a.out'] } },
  ];

  it('is left as it is after a rerun that took every node from the cache, and drawn again when anything changes', async () => {
    const { registry, build, builds } = countingRegistry();
    const out = path.join(rig.dir, 'report.html');
    const experiment = rig.experiment(nodes('x'));
    await rig.run(experiment);
    const first = await writeReport(experiment, registry, rig.cache.root, out, build);
    expect(first.unchanged).toBeUndefined();
    const page = await fs.readFile(out, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html><html><body>a cached, b cached<\/body><\/html>\n<!-- cardigan report inputs [0-9a-f]{64} -->\n$/);
    const { mtimeMs } = await fs.stat(out);

    await rig.run(experiment);
    const again = await writeReport(experiment, registry, rig.cache.root, out, build);
    expect(again).toEqual({ ...first, unchanged: true });
    expect(describeWrittenReport(again)).toMatch(/\(2 of 2 nodes with results; unchanged\)$/);
    expect(builds()).toBe(1);
    expect((await fs.stat(out)).mtimeMs).toBe(mtimeMs);

    // A changed experiment changes what the page shows.
    const changed = rig.experiment(nodes('y'));
    expect((await writeReport(changed, registry, rig.cache.root, out, build)).unchanged).toBeUndefined();
    expect(builds()).toBe(2);
    expect(await fs.readFile(out, 'utf8')).toContain('a cached, b stale');
  });

  it('is drawn again when the page was edited, replaced or removed', async () => {
    const { registry, build, builds } = countingRegistry();
    const out = path.join(rig.dir, 'report.html');
    const experiment = rig.experiment(nodes('x'));
    await rig.run(experiment);
    await writeReport(experiment, registry, rig.cache.root, out, build);
    const stamp = await pageStamp(out);
    expect(stamp).toMatch(/^[0-9a-f]{64}$/);
    await fs.appendFile(out, '<p>edited</p>\n');
    expect(await pageStamp(out)).toBeUndefined();
    await writeReport(experiment, registry, rig.cache.root, out, build);
    await fs.writeFile(out, 'not a report');
    await writeReport(experiment, registry, rig.cache.root, out, build);
    await fs.rm(out);
    await writeReport(experiment, registry, rig.cache.root, out, build);
    expect(builds()).toBe(4);
    expect(await pageStamp(out)).toBe(stamp);
  });
});
