import { detectTools, type Presence, type ToolId } from './tools';
import { runsWith, strictTools } from './policy';

/**
 * The tools found for this run. The global setup looks once and leaves the answer in the
 * environment, which every test worker inherits; a suite run some other way looks for itself.
 */
export const PRESENCE_VARIABLE = 'CARDIGAN_TOOLS_FOUND';

let cached: Presence | undefined;

export function toolPresence(): Presence {
  if (cached !== undefined) return cached;
  const recorded = process.env[PRESENCE_VARIABLE];
  cached = recorded === undefined ? detectTools() : (JSON.parse(recorded) as Presence);
  return cached;
}

/** `describe`, or `describe.skip` where the tool is missing and the run is lenient (see policy.ts). */
export function describeWith(id: ToolId): jest.Describe {
  return runsWith(toolPresence(), strictTools(process.env), id) ? describe : describe.skip;
}
