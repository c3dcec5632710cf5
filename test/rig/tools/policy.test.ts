import { missingLine, runsWith, strictTools, toolVerdict } from './policy';
import { referencePython } from '../python';
import { chromiumPath, type Presence } from './tools';

const all: Presence = { python: true, chromium: true, vulkan: true, slurm: true };
const noPython: Presence = { python: false, chromium: true, vulkan: true, slurm: true };
const nothing: Presence = { python: false, chromium: false, vulkan: false, slurm: false };

describe('the strict/lenient switch for system tools', () => {
  it('is lenient unless CARDIGAN_STRICT_TOOLS is 1 or true, and refuses anything else by name', () => {
    expect(strictTools({})).toBe(false);
    expect(strictTools({ CARDIGAN_STRICT_TOOLS: '' })).toBe(false);
    expect(strictTools({ CARDIGAN_STRICT_TOOLS: '0' })).toBe(false);
    expect(strictTools({ CARDIGAN_STRICT_TOOLS: 'false' })).toBe(false);
    expect(strictTools({ CARDIGAN_STRICT_TOOLS: '1' })).toBe(true);
    expect(strictTools({ CARDIGAN_STRICT_TOOLS: 'TRUE' })).toBe(true);
    expect(() => strictTools({ CARDIGAN_STRICT_TOOLS: 'yes' })).toThrow(
      'CARDIGAN_STRICT_TOOLS=yes: expected 1 (a missing tool fails the run) or 0 (tests that need it are skipped)',
    );
  });

  it('lenient: passes with one notice line per missing tool, each with its install command', () => {
    expect(toolVerdict(all, false)).toEqual({ ok: true, notices: [] });
    const verdict = toolVerdict(nothing, false);
    expect(verdict).toEqual({ ok: true, notices: [missingLine('python'), missingLine('chromium'), missingLine('vulkan'), missingLine('slurm')] });
    expect(missingLine('python')).toBe(
      `missing ${referencePython()} with numpy, scipy, nibabel and PIL: cross-checks compare against the committed references in test/fixtures/references without regenerating them live. Install: apt-get install -y python3-numpy python3-scipy python3-nibabel python3-pil`,
    );
    expect(missingLine('chromium')).toBe(
      `missing headless Chromium (${chromiumPath()}): the report is not checked in a real browser. Install: apt-get install -y chromium`,
    );
  });

  it('strict: fails naming every missing tool, and passes when nothing is missing', () => {
    expect(toolVerdict(all, true)).toEqual({ ok: true, notices: [] });
    expect(toolVerdict(noPython, true)).toEqual({ ok: false, error: `CARDIGAN_STRICT_TOOLS=1 and a tool is missing:\n  ${missingLine('python')}` });
    const verdict = toolVerdict(nothing, true);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.error.split('\n')).toHaveLength(5);
  });

  it('runs the tests that need a tool when it is present, and always in strict mode (never skipped there)', () => {
    expect(runsWith(noPython, false, 'chromium')).toBe(true);
    expect(runsWith(noPython, false, 'python')).toBe(false);
    expect(runsWith(noPython, true, 'python')).toBe(true);
  });
});
