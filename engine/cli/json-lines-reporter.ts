import type { Output, Reporter } from './reporter';
import type { RunEvent } from '../run/events';

/** One JSON object per line, each event as typed in events.ts plus `time` (ISO 8601). */
export class JsonLinesReporter implements Reporter {
  constructor(private readonly output: Output) {}

  report(event: RunEvent): void {
    this.output.write(JSON.stringify({ time: new Date().toISOString(), ...event }) + '\n');
  }

  close(): void {}
}
