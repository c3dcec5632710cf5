import { readdirSync } from 'fs';

/**
 * The NVIDIA GPUs this process may use, without loading tfjs or any driver library: the ones
 * CUDA_VISIBLE_DEVICES names, else one per folder of /proc/driver/nvidia/gpus. 0 where there is no
 * NVIDIA driver (WebGPU on another vendor's GPU then counts as one GPU).
 */
export function visibleGpus(env: NodeJS.ProcessEnv = process.env, driverDir = '/proc/driver/nvidia/gpus'): string[] {
  const listed = env.CUDA_VISIBLE_DEVICES;
  if (listed !== undefined)
    return listed
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '' && id !== '-1');
  try {
    return readdirSync(driverDir).map((_, i) => String(i));
  } catch {
    return [];
  }
}
