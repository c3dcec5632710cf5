import { setTimeout as delay } from 'timers/promises';
import { watchNpmParent } from '../../engine/run/parent-watch';

/** The watch that stops a run whose npm wrapper was terminated (the end-to-end case is in test/spade/sigterm.test.ts). */

test('under npm, a change of parent calls onGone once', async () => {
  let parent = 100;
  let calls = 0;
  const stop = watchNpmParent(() => calls++, { env: { npm_lifecycle_event: 'npx' }, intervalMs: 5, ppid: () => parent });
  await delay(30);
  expect(calls).toBe(0);
  parent = 1;
  await delay(30);
  parent = 2;
  await delay(30);
  expect(calls).toBe(1);
  stop();
});

test('outside npm nothing is watched, so a run may outlive its shell (nohup … &)', async () => {
  let calls = 0;
  let parent = 100;
  const stop = watchNpmParent(() => calls++, { env: {}, intervalMs: 5, ppid: () => parent });
  parent = 1;
  await delay(30);
  expect(calls).toBe(0);
  stop();
});

test('stopping the watch stops it', async () => {
  let parent = 100;
  let calls = 0;
  const stop = watchNpmParent(() => calls++, { env: { npm_lifecycle_event: 'quickstart' }, intervalMs: 5, ppid: () => parent });
  stop();
  parent = 1;
  await delay(30);
  expect(calls).toBe(0);
});
