import type { BackendChoice, BackendInfo } from './backend';

/**
 * Starts the tfjs backend on first use, once per run. A fully cached run never asks, so it never
 * loads tfjs (which costs more than the rest of such a run).
 */
export class LazyBackend {
  private started: Promise<BackendInfo> | undefined;
  private info: BackendInfo | undefined;

  constructor(
    private readonly choice: BackendChoice,
    private readonly onReady: (info: BackendInfo) => void,
    private readonly init: (choice: BackendChoice) => Promise<BackendInfo> = loadAndInit,
  ) {}

  get(): Promise<BackendInfo> {
    if (this.started === undefined) {
      this.started = this.init(this.choice).then((info) => {
        this.info = info;
        this.onReady(info);
        return info;
      });
    }
    return this.started;
  }

  /** The backend in use, or undefined when no node needed one. */
  current(): BackendInfo | undefined {
    return this.info;
  }
}

/** engine/compute/backend.ts imports tfjs at its top, so it is required only here, when a node must run. */
function loadAndInit(choice: BackendChoice): Promise<BackendInfo> {
  // Silent: the run's reporter prints the choice as a `backend` event, once.
  return (require('./backend') as typeof import('./backend')).initBackend(choice, { log: () => undefined });
}
