/**
 * A place where a long computation lets Ctrl-C or SIGTERM in. tfjs ops on wasm and cpu run
 * synchronously, and a read's promise resolves as a microtask, so a loop of them never returns to
 * the event loop: the signal handler that aborts `signal` cannot run until the loop ends. One turn
 * of the event loop (setImmediate: after pending I/O and signals) lets it run; then the abort is seen.
 */
export async function abortPoint(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal.throwIfAborted();
}
