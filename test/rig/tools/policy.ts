import { TOOL_IDS, TOOLS, type Presence } from './tools';

/**
 * What a test run does about missing system tools. Lenient (the default, for a newcomer's `npm test`):
 * the tests that need a missing tool are skipped and the run says so, one line per tool with the
 * command that installs it. Strict (CARDIGAN_STRICT_TOOLS=1, which .ci/run sets): nothing is
 * skipped and a missing tool fails the run, so CI always runs every test.
 */
export const STRICT_VARIABLE = 'CARDIGAN_STRICT_TOOLS';

export function strictTools(env: NodeJS.ProcessEnv): boolean {
  const value = (env[STRICT_VARIABLE] ?? '').trim().toLowerCase();
  if (value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new Error(`${STRICT_VARIABLE}=${env[STRICT_VARIABLE]}: expected 1 (a missing tool fails the run) or 0 (tests that need it are skipped)`);
}

/** The one line a missing tool gets. */
export function missingLine(id: keyof Presence): string {
  const tool = TOOLS[id];
  return `missing ${tool.what}: ${tool.without}. Install: ${tool.install}`;
}

export type ToolVerdict = { ok: true; notices: string[] } | { ok: false; error: string };

/** The run's verdict on the tools it found: notices to print (lenient), or why it fails (strict). */
export function toolVerdict(presence: Presence, strict: boolean): ToolVerdict {
  const lines = TOOL_IDS.filter((id) => !presence[id]).map(missingLine);
  if (!strict || lines.length === 0) return { ok: true, notices: lines };
  return {
    ok: false,
    error: `${STRICT_VARIABLE}=1 and ${lines.length === 1 ? 'a tool is' : 'tools are'} missing:\n${lines.map((line) => `  ${line}`).join('\n')}`,
  };
}

/** Whether tests needing a tool run: always in strict mode (and fail if it is missing), else when present. */
export function runsWith(presence: Presence, strict: boolean, id: keyof Presence): boolean {
  return strict || presence[id];
}
