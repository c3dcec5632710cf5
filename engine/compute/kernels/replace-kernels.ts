import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';

/** Registers each config, replacing whatever the backend registered under that name. Idempotent. */
export function replaceKernels(configs: KernelConfig[]): void {
  for (const config of configs) {
    const current = getKernel(config.kernelName, config.backendName);
    if (current === config) continue;
    if (current !== undefined) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
}
