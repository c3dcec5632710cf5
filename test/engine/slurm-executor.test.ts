import { defaultProfile } from '../../engine/run/executors/slurm/profile';
import { SlurmCli } from '../../engine/run/executors/slurm/slurm-cli';
import { SlurmExecutor } from '../../engine/run/executors/slurm/slurm-executor';
import { type EngineRig, makeEngineRig } from '../rig/engine-rig';
import { type Fate, FakeSlurm } from '../rig/fake-slurm';
import { readCalls } from '../rig/runtime-nodes';
import { WORKER_COMMAND } from '../rig/worker';

/**
 * The Slurm executor's decisions for what a real test cluster cannot be made to do on demand
 * (test/slurm/ runs it against a real one): a machine failure, a job that vanishes, a controller that
 * does not answer. The "jobs" run `cardigan run-node` here (test/rig/fake-slurm.ts).
 */

let rig: EngineRig;
beforeEach(async () => {
  rig = await makeEngineRig();
});
afterEach(async () => {
  await rig.remove();
});

function slurm(fake: FakeSlurm, retries = 1): SlurmExecutor {
  return new SlurmExecutor({
    cache: rig.cache,
    profile: { ...defaultProfile(), pollSeconds: 0.05, lostAfterSeconds: 0.5, retries },
    command: WORKER_COMMAND,
    cli: new SlurmCli(fake.run, 'alice'),
    followMs: 20,
  });
}

async function runOne(
  fates: Fate[],
  retries = 1,
  prepare: (fake: FakeSlurm) => void = () => undefined,
): Promise<{ fake: FakeSlurm; result: Awaited<ReturnType<EngineRig['run']>> }> {
  const fake = new FakeSlurm(fates);
  prepare(fake);
  const result = await rig.run(rig.experiment([{ id: 'a', type: 't-emit', params: { value: 'a', log: rig.log } }]), { executor: slurm(fake, retries) });
  return { fake, result };
}

test('NODE_FAIL (the machine failed, not the node) is submitted again, in a new attempt, and the node is done', async () => {
  const { fake, result } = await runOne(['node-fail', 'run']);
  expect(result.exitCode).toBe(0);
  expect(fake.calls.filter((call) => call === 'sbatch')).toHaveLength(2);
  expect(result.events).toContainEqual(
    expect.objectContaining({
      type: 'node-log',
      node: 'a',
      message: 'Slurm job 1 ended NODE_FAIL (the machine failed, not the node): submitting it again, 0 retries left',
    }),
  );
  expect(readCalls(rig.log).filter((call) => call.event === 'start')).toHaveLength(1);
  const done = result.nodes.get('a');
  expect(done?.status === 'done' && done.record.provenance.executor).toEqual({ name: 'slurm', jobId: '2' });
});

test('once the retries are spent, a machine failure fails the node with its state', async () => {
  const { result } = await runOne(['node-fail', 'node-fail'], 1);
  expect(result.exitCode).toBe(1);
  expect(result.record.nodes[0].error).toBe('Slurm job ended NODE_FAIL (job 2, after 1 retries)');
});

test('a job that leaves the queue without a result is reported lost after the grace period; so is a COMPLETED one without a result', async () => {
  const vanished = await runOne(['vanish']);
  expect(vanished.result.record.nodes[0].error).toMatch(/^Slurm job 1 left the queue without a result in \S+\/jobs\/[0-9a-f]{64}\/[0-9a-z-]+$/);
  await rig.remove();
  rig = await makeEngineRig();
  const empty = await runOne(['complete-without-result']);
  expect(empty.result.record.nodes[0].error).toMatch(/^Slurm job 1 ended COMPLETED but left no result in /);
  expect(empty.result.record.nodes[0].status).toBe('failed');
});

test('an unreachable controller delays the run but never fails a node', async () => {
  const { result } = await runOne(['run'], 1, (fake) => {
    fake.unreachablePolls = 4;
  });
  expect(result.exitCode).toBe(0);
  expect(result.events).toContainEqual(
    expect.objectContaining({
      type: 'node-log',
      message: 'Slurm controller unreachable (Unable to contact slurm controller (connect failure)); polling again with back-off',
    }),
  );
});
