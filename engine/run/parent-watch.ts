/**
 * `npx cardigan run …` and `npm run <script>` start cardigan as npm → `sh -c` → node. A SIGTERM sent
 * to npm (by `kill`, `timeout`, a job scheduler) ends npm and the shell but never reaches node, which
 * is left running alone, reparented to init: a quickstart went on training SPADE after two SIGTERMs
 * that way. (Ctrl-C works, as the terminal signals the whole process group.) Under such a wrapper
 * the parent lives exactly as long as we do, so its disappearance is the stop request that did not
 * reach us: `onGone` is called, once, and the run stops as on SIGTERM.
 *
 * Outside npm nothing is watched, so `nohup cardigan run … &` and the like outlive their shell.
 */
export function watchNpmParent(onGone: () => void, options: { env?: NodeJS.ProcessEnv; intervalMs?: number; ppid?: () => number } = {}): () => void {
  const env = options.env ?? process.env;
  if (env.npm_lifecycle_event === undefined) return () => undefined;
  return watchParent(onGone, options);
}

/**
 * Calls `onGone` once when this process's parent ends (it is reparented). A `cardigan run-node`
 * child of the process pool uses it so that a coordinator killed with -9 takes its workers with it.
 */
export function watchParent(onGone: () => void, options: { intervalMs?: number; ppid?: () => number } = {}): () => void {
  const ppid = options.ppid ?? (() => process.ppid);
  const parent = ppid();
  const timer = setInterval(() => {
    if (ppid() === parent) return;
    clearInterval(timer);
    onGone();
  }, options.intervalMs ?? 500);
  // Never what keeps the process alive.
  timer.unref();
  return () => clearInterval(timer);
}
