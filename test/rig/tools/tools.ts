import { execFileSync } from 'child_process';
import { existsSync } from 'fs';
import { referencePython } from '../python';

/**
 * The system tools some tests need beyond Node and npm. None is a dependency of cardigan itself:
 * they are independent references (Python's numpy, scipy, nibabel, PIL), the browser the HTML report
 * is checked in, and a software Vulkan driver for the webgpu suite. `.ci/run` installs all of them.
 */
export type ToolId = 'python' | 'chromium' | 'vulkan';

export const TOOL_IDS: readonly ToolId[] = ['python', 'chromium', 'vulkan'];

export interface Tool {
  /** What is looked for, as the one-line notice names it. */
  what: string;
  /** What runs without it, and what does not. */
  without: string;
  /** The command that installs it on Debian. */
  install: string;
  present(): boolean;
}

/** Where Debian's chromium package is (the report tests drive it); CARDIGAN_CHROMIUM overrides. */
export function chromiumPath(): string {
  return process.env.CARDIGAN_CHROMIUM ?? '/usr/bin/chromium';
}

/** SwiftShader, the software Vulkan driver that ships with Debian's chromium package; CARDIGAN_SWIFTSHADER_ICD overrides. */
export const SWIFTSHADER_ICD = process.env.CARDIGAN_SWIFTSHADER_ICD ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Dawn opens the Vulkan loader, libvulkan.so.1 (Debian: libvulkan1), which then reads SwiftShader's
 * driver file; without the loader it finds no adapter even where the driver is installed.
 */
const VULKAN_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];

function pythonHasReferences(): boolean {
  try {
    execFileSync(referencePython(), ['-c', 'import numpy, scipy, nibabel, PIL'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const TOOLS: Record<ToolId, Tool> = {
  python: {
    what: `${referencePython()} with numpy, scipy, nibabel and PIL`,
    without: 'cross-checks compare against the committed references in test/fixtures/references without regenerating them live',
    install: 'apt-get install -y python3-numpy python3-scipy python3-nibabel python3-pil',
    present: pythonHasReferences,
  },
  chromium: {
    what: `headless Chromium (${chromiumPath()})`,
    without: 'the report is not checked in a real browser',
    install: 'apt-get install -y chromium',
    present: () => existsSync(chromiumPath()),
  },
  vulkan: {
    what: `the SwiftShader Vulkan driver (${SWIFTSHADER_ICD}) or the Vulkan loader (libvulkan.so.1)`,
    without: 'the webgpu backend is not tested on a software GPU',
    install: 'apt-get install -y chromium libvulkan1',
    present: () => existsSync(SWIFTSHADER_ICD) && VULKAN_LOADERS.some((file) => existsSync(file)),
  },
};

export type Presence = Record<ToolId, boolean>;

/** Looks for every tool (about half a second: Python imports scipy). */
export function detectTools(): Presence {
  return { python: TOOLS.python.present(), chromium: TOOLS.chromium.present(), vulkan: TOOLS.vulkan.present() };
}
