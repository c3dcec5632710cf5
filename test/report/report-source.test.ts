import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { readReportSource } from '../../engine/run/report-source';
import { makeEngineRig, type EngineRig } from '../rig/engine-rig';
import { resolvedExperiment } from '../rig/resolved-experiment';
import { runtimeRegistry } from '../rig/runtime-nodes';

describe('what a report reads from the cache', () => {
  let rig: EngineRig;
  beforeEach(async () => {
    rig = await makeEngineRig();
  });
  afterEach(() => rig.remove());

  const nodes = (tag: string) => [
    { id: 'a', type: 't-emit', params: { value: 'A' } },
    { id: 'b', type: 't-join', params: { tag }, inputs: { in: ['a.out'] } },
    { id: 'f', type: 't-fail', params: { message: 'out of memory <GPU 0>' } },
    { id: 'g', type: 't-join', params: { tag: 'g' }, inputs: { in: ['f.out'] } },
  ];

  it("gives each cached node its entry (outputs, key, version, provenance) and the last run's failures", async () => {
    const experiment = rig.experiment(nodes('x'));
    const run = await rig.run(experiment);
    const source = await readReportSource(experiment, runtimeRegistry(), rig.cache.root);
    expect(source.lastRun?.id).toBe(run.runId);
    expect(source.nodes.map((n) => `${n.node.id} ${n.state} ${n.lastRun?.status ?? '-'}`)).toEqual([
      'a cached done',
      'b cached done',
      'f stale failed',
      'g blocked blocked',
    ]);
    const b = source.nodes[1].entry;
    expect(b?.version).toBe(1);
    expect(b?.provenance.runId).toBe(run.runId);
    expect(b?.provenance.backend).toBe('cpu');
    expect(readFileSync(path.join(b?.outputs.out.dir ?? '', 'value.txt'), 'utf8')).toBe('A>x');
    expect(source.nodes[2].lastRun?.error).toContain('out of memory <GPU 0>');
    expect(source.nodes[3].lastRun?.blockedBy).toEqual(['f']);
    expect(source.nodes[2].entry).toBeUndefined();
  });

  it('never shows an entry of an older version of the experiment as current', async () => {
    await rig.run(rig.experiment(nodes('x')));
    const changed = rig.experiment(nodes('y'));
    const source = await readReportSource(changed, runtimeRegistry(), rig.cache.root);
    expect(source.nodes.map((n) => `${n.node.id} ${n.state}`)).toEqual(['a cached', 'b stale', 'f stale', 'g blocked']);
    expect(source.nodes[1].entry).toBeUndefined();
  });

  it('takes the last run of this experiment file, not of another one sharing the cache', async () => {
    const first = await rig.run(rig.experiment(nodes('x')));
    await rig.run(resolvedExperiment(path.join(rig.dir, 'other.yaml'), [{ id: 'o', type: 't-emit', params: { value: 1 } }]));
    const source = await readReportSource(rig.experiment(nodes('x')), runtimeRegistry(), rig.cache.root);
    expect(source.lastRun?.id).toBe(first.runId);
  });

  it('passes over a rerun that took every node from the cache: the run that made the results stays the last run', async () => {
    const experiment = rig.experiment(nodes('x').slice(0, 2));
    const made = await rig.run(experiment);
    const rerun = await rig.run(experiment);
    expect(rerun.record.counts.cached).toBe(2);
    const source = await readReportSource(experiment, runtimeRegistry(), rig.cache.root);
    expect(source.lastRun?.id).toBe(made.runId);
    const forced = await rig.run(experiment, { selection: { force: ['b'] } });
    expect((await readReportSource(experiment, runtimeRegistry(), rig.cache.root)).lastRun?.id).toBe(forced.runId);
  });

  it('shows the first of the runs of an experiment file that only ever took everything from the cache (filled by another checkout)', async () => {
    await rig.run(rig.experiment(nodes('x').slice(0, 2)));
    const elsewhere = resolvedExperiment(path.join(rig.dir, 'clone', 'x.yaml'), nodes('x').slice(0, 2));
    const first = await rig.run(elsewhere);
    expect(first.record.counts.cached).toBe(2);
    await rig.run(elsewhere);
    expect((await readReportSource(elsewhere, runtimeRegistry(), rig.cache.root)).lastRun?.id).toBe(first.runId);
  });

  it('reads an empty or absent cache as "nothing run", and creates nothing', async () => {
    const root = path.join(rig.dir, 'no-cache');
    const source = await readReportSource(rig.experiment(nodes('x')), runtimeRegistry(), root);
    expect(source.lastRun).toBeNull();
    expect(source.nodes.map((n) => n.state)).toEqual(['stale', 'blocked', 'stale', 'blocked']);
    expect(existsSync(root)).toBe(false);
  });
});
