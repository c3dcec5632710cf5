import { strictTools, toolVerdict } from './policy';
import { PRESENCE_VARIABLE } from './presence';
import { detectTools } from './tools';

/** Jest's global setup: looks for the system tools once per run; in strict mode a missing one stops the run here. */
export default function globalSetup(): void {
  const presence = detectTools();
  process.env[PRESENCE_VARIABLE] = JSON.stringify(presence);
  const verdict = toolVerdict(presence, strictTools(process.env));
  if (!verdict.ok) throw new Error(verdict.error);
}
