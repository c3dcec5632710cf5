import { initBackend } from '../../engine/compute/backend';
import { SWIFTSHADER, withVulkanDriver } from './vulkan-driver';

const quiet = { log: () => undefined };

export interface OnBoth<T> {
  wasm: T;
  webgpu: T;
}

/**
 * Computes `figures` on wasm, then on webgpu with SwiftShader standing in for a GPU, in a `beforeAll`
 * of the enclosing describe (call it there). The returned object holds both once that has run.
 */
export function onWasmAndWebgpu<T>(figures: () => T | Promise<T>): OnBoth<T> {
  const both = {} as OnBoth<T>;
  beforeAll(async () => {
    await initBackend('wasm', quiet);
    both.wasm = await figures();
    await withVulkanDriver(SWIFTSHADER, () => initBackend('webgpu', quiet));
    both.webgpu = await figures();
  });
  return both;
}
