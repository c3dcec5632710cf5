/**
 * How a cross-check gets Python's answer. `live`: runs Python and insists that the committed reference
 * still says the same (where Python is present, and always in strict mode). `replay`: takes the
 * committed reference (where Python is missing: `npm test` needs nothing but Node). `record`: runs
 * Python and rewrites the references (`npm run fixtures`). CARDIGAN_REFERENCES forces one.
 */
export type ReferenceMode = 'live' | 'replay' | 'record';

export const MODE_VARIABLE = 'CARDIGAN_REFERENCES';

export function referenceMode(env: NodeJS.ProcessEnv, pythonPresent: boolean, strict: boolean): ReferenceMode {
  const forced = env[MODE_VARIABLE] ?? '';
  if (forced === 'live' || forced === 'replay' || forced === 'record') return forced;
  if (forced !== '') throw new Error(`${MODE_VARIABLE}=${forced}: expected live, replay or record (or leave it unset)`);
  return pythonPresent || strict ? 'live' : 'replay';
}
