import type { RunEvent } from '../run/events';

/** Renders run events. `--json` prints them as JSON lines; otherwise they become terminal lines. */
export interface Reporter {
  report(event: RunEvent): void;
  /** Stops redrawing and leaves the terminal clean. */
  close(): void;
}

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}
