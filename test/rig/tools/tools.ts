import { execFileSync } from 'child_process';
import { accessSync, constants, existsSync } from 'fs';
import * as path from 'path';
import { referencePython } from '../python';

/**
 * The system tools some tests need beyond Node and npm. None is a dependency of cardigan itself:
 * they are independent references (Python's numpy, scipy, nibabel, PIL), the browser the HTML report
 * is checked in, a software Vulkan driver for the webgpu suite, and a single-node Slurm for the Slurm
 * executor's tests. `.ci/run` installs all of them.
 */
export type ToolId = 'python' | 'chromium' | 'vulkan' | 'slurm';

export const TOOL_IDS: readonly ToolId[] = ['python', 'chromium', 'vulkan', 'slurm'];

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

/** What test/slurm/cluster.sh runs to start and drive a cluster; starting slurmd needs root. */
const SLURM_PROGRAMS = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo', 'munged', 'setpriv', 'setsid', 'mknod'];

function onPath(program: string): boolean {
  return [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin'].some((dir) => {
    try {
      accessSync(path.join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

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
  slurm: {
    what: 'Slurm and munge (slurmctld, slurmd, sbatch, squeue, munged…), run as root',
    without: 'the Slurm executor is not tested on a real cluster (its fake-cluster tests still run)',
    install: 'apt-get install -y slurmctld slurmd slurm-client munge (and run the tests as root)',
    present: () => process.getuid?.() === 0 && SLURM_PROGRAMS.every(onPath),
  },
};

export type Presence = Record<ToolId, boolean>;

/** Looks for every tool (about half a second: Python imports scipy). */
export function detectTools(): Presence {
  return { python: TOOLS.python.present(), chromium: TOOLS.chromium.present(), vulkan: TOOLS.vulkan.present(), slurm: TOOLS.slurm.present() };
}
