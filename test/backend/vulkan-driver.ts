import { existsSync } from 'fs';
import { loadDawn } from '../../engine/compute/webgpu/dawn';
import { realmOf } from '../../engine/compute/webgpu/sync-read';
import { SWIFTSHADER_ICD } from '../rig/tools/tools';

/**
 * Picks the Vulkan driver Dawn sees, so the webgpu tests do not depend on the machine's drivers.
 * SwiftShader (a software Vulkan driver that ships with Debian's chromium package, which .ci/run
 * installs) stands in for a GPU; a driver list naming a missing file leaves Dawn without adapters.
 */
export const SWIFTSHADER = SWIFTSHADER_ICD;
export const NO_DRIVER = '/nonexistent/no-vulkan-driver.json';

/**
 * Runs `fn` with VK_ICD_FILENAMES set in the process's real environment (jest's `process.env` is a
 * copy that native code never sees); the Vulkan loader reads it whenever Dawn creates an instance.
 */
export async function withVulkanDriver<T>(driver: string, fn: () => Promise<T>): Promise<T> {
  if (driver === SWIFTSHADER && !existsSync(SWIFTSHADER)) {
    throw new Error(`${SWIFTSHADER} is missing: install Debian's chromium package (it ships SwiftShader), as .ci/run does`);
  }
  const env = realmOf(loadDawn().create).process.env;
  const previous = env.VK_ICD_FILENAMES;
  env.VK_ICD_FILENAMES = driver;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete env.VK_ICD_FILENAMES;
    else env.VK_ICD_FILENAMES = previous;
  }
}
